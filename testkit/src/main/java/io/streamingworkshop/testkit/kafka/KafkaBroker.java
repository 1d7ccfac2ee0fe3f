package io.streamingworkshop.testkit.kafka;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka broker for tests and walkthroughs: always a real one, never a mock. Chosen once per JVM:
 *
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} (environment or system property) names a broker you run;</li>
 *   <li>{@code WORKSHOP_KAFKA=testcontainers} asks Testcontainers to start {@code apache/kafka} in
 *       Docker (an explicit choice: it pulls an image and runs another Kafka version than CI);</li>
 *   <li>otherwise, by default, a real broker starts inside this JVM from the Kafka jars on Maven
 *       Central: the broker CI tests, with no Docker and no download in a classroom.</li>
 * </ol>
 *
 * One line, {@code [kafka] ...}, says which broker a run uses and why. {@link #sasl()} gives
 * a SASL/PLAIN endpoint for the lesson on authentication. Topics are created with
 * {@link #createTopic}; brokers this class started stop when the JVM ends.
 */
public final class KafkaBroker {

    /** Where the broker came from. */
    public enum Kind {
        EXTERNAL,
        TESTCONTAINERS,
        EMBEDDED
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private static KafkaBroker shared;
    private static KafkaBroker sasl;
    private static EmbeddedKafkaBroker embedded;

    private final Kind kind;
    private final String bootstrapServers;
    private final Map<String, String> security;
    private final String why;

    private KafkaBroker(Kind kind, String bootstrapServers, Map<String, String> security, String why) {
        this.kind = kind;
        this.bootstrapServers = bootstrapServers;
        this.security = Collections.unmodifiableMap(new LinkedHashMap<>(security));
        this.why = why;
    }

    /** The broker of this JVM (plain, unauthenticated listener), started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = choose();
            shared.awaitReady();
            System.out.println("[kafka] " + shared.description());
        }
        return shared;
    }

    /**
     * A listener that requires SASL/PLAIN authentication, with a user that may connect. Uses
     * {@code KAFKA_SASL_BOOTSTRAP_SERVERS}, {@code KAFKA_SASL_USERNAME} and {@code KAFKA_SASL_PASSWORD}
     * when all three are set, otherwise the in-process broker's SASL listener.
     */
    public static synchronized KafkaBroker sasl() {
        if (sasl == null) {
            String servers = setting("KAFKA_SASL_BOOTSTRAP_SERVERS");
            String user = setting("KAFKA_SASL_USERNAME");
            String password = setting("KAFKA_SASL_PASSWORD");
            if (servers != null && user != null && password != null) {
                sasl = new KafkaBroker(
                        Kind.EXTERNAL, servers, saslSecurity(user, password), "KAFKA_SASL_BOOTSTRAP_SERVERS is set");
            } else {
                sasl = new KafkaBroker(
                        Kind.EMBEDDED,
                        embedded().saslBootstrap(),
                        saslSecurity(EmbeddedKafkaBroker.SASL_USER, EmbeddedKafkaBroker.SASL_PASSWORD),
                        "SASL/PLAIN listener of the in-process broker");
            }
            sasl.awaitReady();
            System.out.println("[kafka] " + sasl.description());
        }
        return sasl;
    }

    private static KafkaBroker choose() {
        String external = setting("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null) {
            return new KafkaBroker(Kind.EXTERNAL, external, Map.of(), "KAFKA_BOOTSTRAP_SERVERS is set");
        }
        String forced = setting("WORKSHOP_KAFKA");
        forced = forced == null ? "" : forced.trim().toLowerCase(Locale.ROOT);
        if (!forced.isEmpty() && !forced.equals("embedded") && !forced.equals("testcontainers")) {
            throw new IllegalStateException(
                    "WORKSHOP_KAFKA must be 'embedded' or 'testcontainers', not '" + forced + "'");
        }
        if (forced.equals("testcontainers")) {
            try {
                return new KafkaBroker(
                        Kind.TESTCONTAINERS, ContainerKafka.start(), Map.of(), "WORKSHOP_KAFKA=testcontainers");
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "WORKSHOP_KAFKA=testcontainers, but the Kafka container did not start: " + e.getMessage(), e);
            }
        }
        String reason = forced.equals("embedded")
                ? "WORKSHOP_KAFKA=embedded"
                : "the default; set KAFKA_BOOTSTRAP_SERVERS or WORKSHOP_KAFKA=testcontainers for another broker";
        return new KafkaBroker(Kind.EMBEDDED, embedded().plaintextBootstrap(), Map.of(), reason);
    }

    private static synchronized EmbeddedKafkaBroker embedded() {
        if (embedded == null) {
            embedded = EmbeddedKafkaBroker.start();
        }
        return embedded;
    }

    private static Map<String, String> saslSecurity(String user, String password) {
        Map<String, String> security = new LinkedHashMap<>();
        security.put("security.protocol", "SASL_PLAINTEXT");
        security.put("sasl.mechanism", "PLAIN");
        security.put("sasl.jaas.config", jaasConfig(user, password));
        return security;
    }

    /** The {@code sasl.jaas.config} value for a PLAIN login. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    public Kind kind() {
        return kind;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether clients must authenticate (SASL/PLAIN) on this endpoint. */
    public boolean requiresSasl() {
        return !security.isEmpty();
    }

    /** The user name clients authenticate as, for a SASL endpoint. */
    public String username() {
        return requireSasl("username").get("sasl.jaas.config").replaceFirst(".*username=\"([^\"]*)\".*", "$1");
    }

    /** The password of {@link #username()}, for a SASL endpoint. */
    public String password() {
        return requireSasl("password").get("sasl.jaas.config").replaceFirst(".*password=\"([^\"]*)\".*", "$1");
    }

    /** Properties for a plain Kafka client (producer, consumer, admin). */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.putAll(security);
        return props;
    }

    /** The same options for Spark's Kafka source and sink: each key with the {@code kafka.} prefix. */
    public Map<String, String> sparkOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("kafka.bootstrap.servers", bootstrapServers);
        security.forEach((key, value) -> options.put("kafka." + key, value));
        return options;
    }

    public String description() {
        switch (kind) {
            case EXTERNAL:
                return "using the broker at " + bootstrapServers + " (" + why + ")";
            case TESTCONTAINERS:
                return "Kafka container at " + bootstrapServers + " (" + why + ")";
            default:
                return "in-process Kafka broker at " + bootstrapServers + " (" + why + ")";
        }
    }

    /**
     * Creates a topic if it does not exist yet (one replica: these are single-broker set-ups), and
     * returns once every partition's leader answers: an idempotent producer (the default since
     * Kafka 3.0, Spark's Kafka sink included) whose first request meets a partition that is not
     * ready yet can stall for good (KAFKA-14359).
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all()
                        .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, name);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Creating topic " + name + " on " + bootstrapServers + " failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Creating topic " + name + " on " + bootstrapServers + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
    }

    private static void awaitLeaders(Admin admin, String topic)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .get(topic)
                        .partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                // Asking each leader for its latest offset is a harmless way to know it serves requests.
                admin.listOffsets(latest).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }

    private Admin admin() {
        Properties props = clientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        return Admin.create(props);
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            int brokers = admin.describeCluster()
                    .nodes()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .size();
            if (brokers == 0) {
                throw new IllegalStateException("the cluster has no brokers");
            }
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "No Kafka broker answered at " + bootstrapServers + " within "
                            + READY_TIMEOUT.toSeconds() + " s (" + why + "): " + cause.getMessage()
                            + (kind == Kind.EXTERNAL
                                    ? ". Start that broker, or unset the variable to let the workshop start one."
                                    : ""),
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka at " + bootstrapServers, e);
        }
    }

    private Map<String, String> requireSasl(String what) {
        if (!requiresSasl()) {
            throw new IllegalStateException(
                    "This endpoint has no " + what + ": it is not a SASL listener; use KafkaBroker.sasl()");
        }
        return security;
    }
}
