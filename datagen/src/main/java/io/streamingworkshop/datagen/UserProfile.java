package io.streamingworkshop.datagen;

import java.time.LocalDate;

/** A row of the users dimension; also where clicks, orders and transactions get their user's region. */
record UserProfile(String id, String name, String segment, String region, String country, LocalDate signupDate)
        implements Event {

    @Override
    public RecordType type() {
        return RecordType.USER;
    }

    @Override
    public String key() {
        return id;
    }

    @Override
    public long timeNanos() {
        return 0;
    }

    @Override
    public byte[] render(JsonLine json, boolean withAddedField, boolean wrongType) {
        return json.begin()
                .string("user_id", id)
                .string("name", name)
                .string("user_segment", segment)
                .string("region", region)
                .string("country", country)
                .date("signup_date", signupDate)
                .end();
    }
}
