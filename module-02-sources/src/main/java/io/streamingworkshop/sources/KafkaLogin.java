package io.streamingworkshop.sources;

import java.util.Objects;

/**
 * Where a SASL-protected Kafka listener is and who logs in to it. Tests and walkthroughs fill it from
 * configuration ({@code KAFKA_SASL_BOOTSTRAP_SERVERS}, {@code KAFKA_SASL_USERNAME},
 * {@code KAFKA_SASL_PASSWORD}, or the test kit's broker), so no password is written in an exercise.
 */
public record KafkaLogin(String bootstrapServers, String username, String password) {

    public KafkaLogin {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Never prints the password, so a login can appear in logs and failure messages. */
    @Override
    public String toString() {
        return "KafkaLogin[" + username + "@" + bootstrapServers + ", password ******]";
    }
}
