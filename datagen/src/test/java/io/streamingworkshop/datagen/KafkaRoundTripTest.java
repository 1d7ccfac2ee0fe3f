package io.streamingworkshop.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import io.streamingworkshop.testkit.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Records sent to the test kit's real broker, read back by a plain consumer and by Spark. */
@WorkshopTest
class KafkaRoundTripTest {

    static Datagen flawedIot() {
        return Datagen.iot()
                .events(5_000)
                .seed(5)
                .late(0.05, Duration.ofMinutes(10))
                .duplicates(0.02, Duration.ofSeconds(5))
                .malformed(0.04);
    }

    @Test
    void aPlainConsumerReadsEveryRecordByteForByteInOrderPerKey(WorkDir work) {
        KafkaBroker kafka = KafkaBroker.shared();
        WriteSummary summary =
                flawedIot().kafkaManifestDir(work.root()).toKafka(kafka.clientProperties(), "datagen-iot");
        Manifest manifest = summary.manifest();
        assertThat(manifest.records()).isEqualTo(5_100);
        assertThat(manifest.output())
                .containsEntry("topic", "datagen-iot")
                .containsEntry("partitions", 2)
                .containsEntry("key", "device_id");

        List<ConsumerRecord<byte[], byte[]>> consumed = consume(kafka, "datagen-iot", 5_100);
        assertThat(consumed).hasSize(5_100);
        // Kafka keeps order within a partition, and a key always goes to the same partition.
        Map<String, List<String>> sentByKey = new LinkedHashMap<>();
        flawedIot()
                .records()
                .forEach(r -> sentByKey
                        .computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(r.json()));
        Map<String, List<String>> receivedByKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : consumed) {
            receivedByKey
                    .computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(new String(record.value(), StandardCharsets.UTF_8));
        }
        assertThat(receivedByKey).isEqualTo(sentByKey);
        assertThat(Manifest.read(work.root().resolve("datagen-iot.manifest.json"))
                        .toJson())
                .isEqualTo(manifest.toJson());
        assertThat(DataFiles.lines(work.root().resolve("datagen-iot.flaws.jsonl")))
                .hasSize((int) (manifest.late() + manifest.duplicates() + manifest.malformed()));
    }

    @Test
    void sparkReadsTheTopicWithTheDatasetSchema(SparkSession spark) {
        KafkaBroker kafka = KafkaBroker.shared();
        Manifest manifest = flawedIot()
                .toKafka(kafka.clientProperties(), "datagen-iot-spark")
                .manifest();

        Dataset<Row> values = spark.read()
                .format("kafka")
                .options(kafka.sparkOptions())
                .option("subscribe", "datagen-iot-spark")
                .load()
                .selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS json");
        assertThat(values.count()).isEqualTo(manifest.records());
        // Broken JSON has no readable event_id; every other record has one, and its key is its device.
        assertThat(values.where("get_json_object(json, '$.event_id') IS NULL").count())
                .isEqualTo(manifest.brokenJson());
        assertThat(values.where("get_json_object(json, '$.device_id') <> key").count())
                .isZero();

        Dataset<Row> parsed = values.selectExpr(
                        "from_json(json, '" + RecordType.IOT_READING.schema().toDDL() + "') AS reading")
                .selectExpr("reading.*");
        assertThat(parsed.where("event_id IS NOT NULL AND temperature IS NOT NULL AND location.site IS NOT NULL")
                        .dropDuplicates("event_id")
                        .count())
                .isEqualTo(manifest.validEvents());
    }

    @Test
    void ordersAndShipmentsGoToTheirTwoTopics() {
        KafkaBroker kafka = KafkaBroker.shared();
        WriteSummary summary =
                Datagen.orders().events(1_000).toKafka(kafka.clientProperties(), "datagen-orders", "datagen-shipments");
        assertThat(summary.manifest(RecordType.ORDER).records()).isEqualTo(1_000);
        assertThat(summary.manifest(RecordType.SHIPMENT).records()).isEqualTo(900);
        assertThat(consume(kafka, "datagen-shipments", 900))
                .hasSize(900)
                .allMatch(r -> new String(r.value(), StandardCharsets.UTF_8)
                        .contains("\"shipment_order_id\":\"" + new String(r.key(), StandardCharsets.UTF_8) + "\""));
    }

    @Test
    void aTopicForEachStreamIsRequired() {
        Properties client = KafkaBroker.shared().clientProperties();
        assertThatThrownBy(() -> Datagen.orders().toKafka(client, "orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two streams");
        assertThatThrownBy(() -> Datagen.iot().toKafka(client, "bad topic"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid Kafka topic name");
        assertThatThrownBy(() -> Datagen.iot().toKafka(new Properties(), "iot"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bootstrap.servers");
    }

    static List<ConsumerRecord<byte[], byte[]>> consume(KafkaBroker kafka, String topic, int expected) {
        Properties props = kafka.clientProperties();
        props.put("group.id", "datagen-test-" + topic);
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<Integer, Long> lastOffset = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.offset()).isGreaterThan(lastOffset.getOrDefault(record.partition(), -1L));
                    lastOffset.put(record.partition(), record.offset());
                    records.add(record);
                }
            }
            // Nothing more than was sent: poll once more after reaching the count.
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }
}
