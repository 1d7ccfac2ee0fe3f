package io.streamingworkshop.testkit.kafka;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** The Testcontainers path of {@link KafkaBroker}: used only when a Docker daemon answers. */
final class ContainerKafka {

    static final String IMAGE = "apache/kafka:3.9.1";

    private static KafkaContainer container;

    private ContainerKafka() {}

    static synchronized String start() {
        if (container == null) {
            KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(IMAGE));
            kafka.start();
            // Testcontainers' Ryuk removes the container when this JVM ends; stop it sooner if we can.
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-shutdown"));
            container = kafka;
        }
        return container.getBootstrapServers();
    }
}
