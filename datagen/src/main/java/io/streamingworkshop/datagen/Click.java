package io.streamingworkshop.datagen;

/** One clickstream event (see the README's schema table). */
record Click(
        String id,
        long timeNanos,
        String userId,
        String sessionId,
        String page,
        String pageCategory,
        String eventType,
        long timeOnPageTenths,
        String referrer)
        implements Event {

    @Override
    public RecordType type() {
        return RecordType.CLICK;
    }

    @Override
    public String key() {
        return userId;
    }

    @Override
    public byte[] render(JsonLine json, boolean withAddedField, boolean wrongType) {
        json.begin()
                .string("event_id", id)
                .string("user_id", userId)
                .string("session_id", sessionId)
                .string("page", page)
                .string("page_category", pageCategory)
                .string("event_type", eventType);
        json.measure("time_on_page", timeOnPageTenths, 1, "s", wrongType);
        json.timestamp("event_time", Math.floorDiv(timeNanos, 1_000_000L));
        if (withAddedField) {
            json.string("referrer", referrer);
        }
        return json.end();
    }
}
