package io.streamingworkshop.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingworkshop.testkit.MemoryInput;
import io.streamingworkshop.testkit.Streams;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;

@WorkshopTest
class KafkaBrokerTest {

    @Test
    void sparkWritesAStreamToATopicAndReadsItBack(SparkSession spark, WorkDir work) throws Exception {
        KafkaBroker kafka = KafkaBroker.shared();
        kafka.createTopic("round-trip", 2);

        MemoryInput<String> input = MemoryInput.of(Encoders.STRING());
        StreamingQuery writer = input.stream()
                .selectExpr("value AS key", "upper(value) AS value")
                .writeStream()
                .format("kafka")
                .options(kafka.sparkOptions())
                .option("topic", "round-trip")
                .option("checkpointLocation", work.path("write-checkpoint"))
                .start();
        input.addBatch("a", "b");
        Streams.processAll(writer);
        input.addBatch("c");
        Streams.processAll(writer);
        Streams.stop(writer);

        Dataset<Row> records = spark.readStream()
                .format("kafka")
                .options(kafka.sparkOptions())
                .option("subscribe", "round-trip")
                .option("startingOffsets", "earliest")
                .load()
                .selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value");
        StreamingQuery reader =
                records.writeStream().format("memory").queryName("round_trip").start();
        Streams.processAll(reader);

        List<String> read = spark.sql("SELECT concat(key, '=', value) FROM round_trip")
                .as(Encoders.STRING())
                .collectAsList();
        assertThat(read).containsExactlyInAnyOrder("a=A", "b=B", "c=C");
    }

    @Test
    void plainClientsProduceAndConsume() {
        KafkaBroker kafka = KafkaBroker.shared();
        kafka.createTopic("plain-clients", 1);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka.clientProperties()))) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("plain-clients", "k" + i, "v" + i));
            }
            producer.flush();
        }
        assertThat(consumeAll(kafka.clientProperties(), "plain-clients", 5))
                .containsExactly("v0", "v1", "v2", "v3", "v4");
    }

    @Test
    void saslListenerAcceptsTheLearnerAndRejectsAWrongPassword(SparkSession spark, WorkDir work) {
        KafkaBroker secured = KafkaBroker.sasl();
        assertThat(secured.requiresSasl()).isTrue();
        secured.createTopic("secured", 1);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(secured.clientProperties()))) {
            producer.send(new ProducerRecord<>("secured", "k", "hello"));
            producer.flush();
        }

        Dataset<Row> records = spark.read()
                .format("kafka")
                .options(secured.sparkOptions())
                .option("subscribe", "secured")
                .load()
                .selectExpr("CAST(value AS STRING) AS value");
        assertThat(records.as(Encoders.STRING()).collectAsList()).containsExactly("hello");

        Properties wrong = secured.clientProperties();
        wrong.put("sasl.jaas.config", KafkaBroker.jaasConfig(secured.username(), "not-the-password"));
        Properties props = producerProps(wrong);
        props.put("max.block.ms", "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secured", "k", "x"))
                            .get(15, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Invalid username or password");
        }
    }

    private static Properties producerProps(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return props;
    }

    private static List<String> consumeAll(Properties client, String topic, int expected) {
        Properties props = new Properties();
        props.putAll(client);
        props.put("group.id", "testkit-" + topic);
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
