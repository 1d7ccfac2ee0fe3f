package io.streamingworkshop.datagen;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records to Kafka topics (one per record type), keyed by the record type's key field, the
 * JSON line as the value. The broker must answer within the timeout before anything is generated;
 * missing topics are created. Kafka's own record timestamp is the time of sending (an event time
 * from the past would let the broker's retention delete the data at once): the event time is in the JSON.
 */
final class KafkaSink implements RecordSink {

    private final Properties client;
    private final Map<RecordType, String> topics;
    private final int partitions;
    private final Duration timeout;
    private final Path manifestDir;
    private final Map<RecordType, Integer> partitionsByType = new EnumMap<>(RecordType.class);
    private final Map<RecordType, FlawLog> flawLogs = new EnumMap<>(RecordType.class);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final String servers;
    private KafkaProducer<byte[], byte[]> producer;

    KafkaSink(Properties client, Map<RecordType, String> topics, int partitions, Duration timeout, Path manifestDir) {
        this.client = client;
        this.topics = topics;
        this.partitions = partitions;
        this.timeout = timeout;
        this.manifestDir = manifestDir;
        this.servers = client.getProperty("bootstrap.servers");
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("The Kafka client properties have no bootstrap.servers: name the broker,"
                    + " e.g. KafkaBroker.shared().clientProperties() or --bootstrap-servers localhost:9092");
        }
    }

    @Override
    public void open() {
        prepareTopics();
        if (manifestDir != null) {
            OutputDirectory.ensureExists(manifestDir);
            topics.forEach(
                    (type, topic) -> flawLogs.put(type, new FlawLog(manifestDir.resolve(topic + ".flaws.jsonl"))));
        }
        try {
            producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new DatagenException("Cannot create a Kafka producer for " + servers + ": " + rootMessage(e), e);
        }
    }

    private void prepareTopics() {
        Properties props = new Properties();
        props.putAll(client);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(millis));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(millis));
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "datagen-admin");
        try (Admin admin = Admin.create(props)) {
            await(
                    admin.describeCluster().nodes(),
                    "No Kafka broker answered at " + servers + " within "
                            + Durations.format(timeout)
                            + ". Is it running? (To start one: see datagen/README.md, section"
                            + " \"A local Kafka broker\")");
            Set<String> existing = await(admin.listTopics().names(), "Listing the topics on " + servers + " timed out");
            for (String topic : topics.values()) {
                if (!existing.contains(topic)) {
                    try {
                        await(
                                admin.createTopics(
                                                List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                                        .all(),
                                "Creating the topic " + topic + " on " + servers + " timed out");
                    } catch (DatagenException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            Map<String, TopicDescription> described = awaitLeaders(admin);
            topics.forEach((type, topic) ->
                    partitionsByType.put(type, described.get(topic).partitions().size()));
        } catch (KafkaException e) {
            throw new DatagenException("Cannot talk to Kafka at " + servers + ": " + rootMessage(e), e);
        }
    }

    /**
     * Waits until the leader of every partition serves requests, and describes the topics. A topic
     * that was just created is not known everywhere at once, and an idempotent producer whose first
     * request fails on a partition that is not ready can get stuck retrying for good (KAFKA-14359):
     * asking each leader for its latest offset is a harmless way to know it is ready.
     */
    private Map<String, TopicDescription> awaitLeaders(Admin admin) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
                Map<String, TopicDescription> described =
                        admin.describeTopics(topics.values()).allTopicNames().get(left, TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                described.forEach((topic, description) -> description
                        .partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get(left, TimeUnit.MILLISECONDS);
                return described;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new DatagenException(
                            "The topics " + String.join(", ", topics.values()) + " on " + servers
                                    + " are not ready within " + Durations.format(timeout) + ": "
                                    + rootMessage(e.getCause()),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new DatagenException(
                        "The topics " + String.join(", ", topics.values()) + " on " + servers + " are not ready within "
                                + Durations.format(timeout),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DatagenException("Interrupted while waiting for Kafka at " + servers, e);
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }

    private <T> T await(KafkaFuture<T> future, String timeoutMessage) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DatagenException(timeoutMessage, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new DatagenException(timeoutMessage, cause);
            }
            throw new DatagenException("Kafka at " + servers + " refused: " + rootMessage(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatagenException("Interrupted while talking to Kafka at " + servers, e);
        }
    }

    private Properties producerProperties() {
        int millis = (int) Math.min(Integer.MAX_VALUE / 4, timeout.toMillis());
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "datagen");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Large batches and a short linger: throughput without holding a paced stream back noticeably.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(millis));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(millis));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(2 * millis + 5 + 30_000));
        // Settings given by the caller (security, tuning) win over these defaults.
        props.putAll(client);
        return props;
    }

    @Override
    public void accept(GeneratedRecord record) {
        Exception failed = failure.get();
        if (failed != null) {
            throw sendFailed(failed);
        }
        String topic = topics.get(record.type());
        try {
            producer.send(
                    new ProducerRecord<>(topic, record.key().getBytes(StandardCharsets.UTF_8), record.bytes()),
                    (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
        } catch (KafkaException e) {
            throw sendFailed(e);
        }
        FlawLog log = flawLogs.get(record.type());
        if (log != null && record.flaw() != Flaw.NONE) {
            log.sent(record, topic);
        }
    }

    @Override
    public void finish() {
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw sendFailed(e);
        } finally {
            producer.close(timeout);
        }
        Exception failed = failure.get();
        if (failed != null) {
            throw sendFailed(failed);
        }
        flawLogs.values().forEach(FlawLog::publish);
    }

    private DatagenException sendFailed(Exception e) {
        return new DatagenException("Sending to Kafka at " + servers + " failed: " + rootMessage(e), e);
    }

    @Override
    public void abort() {
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
        flawLogs.values().forEach(FlawLog::discard);
    }

    @Override
    public long files(RecordType type) {
        return 0;
    }

    @Override
    public Map<String, Object> describe(RecordType type) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("type", "kafka");
        output.put("topic", topics.get(type));
        output.put("partitions", partitionsByType.get(type));
        output.put("key", type.keyField());
        return output;
    }

    @Override
    public void publishManifest(RecordType type, Manifest manifest) {
        if (manifestDir != null) {
            AtomicFiles.write(manifestDir.resolve(topics.get(type) + ".manifest.json"), manifest.toBytes());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ');
    }
}
