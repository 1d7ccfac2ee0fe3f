package io.streamingworkshop.testkit.kafka;

import io.streamingworkshop.testkit.WorkDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.MetaProperties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.server.common.MetadataVersion;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * A real, single-node Kafka broker (KRaft mode, no ZooKeeper) running inside this JVM, from the
 * Kafka jars on Maven Central. It serves two listeners on loopback: PLAINTEXT for ordinary lessons
 * and SASL_PLAINTEXT with the PLAIN mechanism for the lesson on authentication. It stops, and its
 * log directory is deleted, when the JVM ends.
 */
final class EmbeddedKafkaBroker {

    static final String SASL_USER = "learner";
    static final String SASL_PASSWORD = "learner-secret";

    private final KafkaRaftServer server;
    private final Path logDir;
    private final String plaintextBootstrap;
    private final String saslBootstrap;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path logDir, String plaintextBootstrap, String saslBootstrap) {
        this.server = server;
        this.logDir = logDir;
        this.plaintextBootstrap = plaintextBootstrap;
        this.saslBootstrap = saslBootstrap;
    }

    static EmbeddedKafkaBroker start() {
        return start(freePort());
    }

    /**
     * A broker whose plain listener is on a fixed port (the SASL and controller listeners take free
     * ones), for a broker that command-line tools find at a known address, e.g. localhost:9092.
     */
    static EmbeddedKafkaBroker start(int plaintextPort) {
        requireFree(plaintextPort);
        int saslPort = freePort();
        int controllerPort = freePort();
        Path logDir = WorkDir.fresh("kafka", "broker-" + ProcessHandle.current().pid() + "-" + plaintextPort);

        Map<String, Object> config = new HashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + plaintextPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort
                        + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put(
                "advertised.listeners",
                "PLAINTEXT://127.0.0.1:" + plaintextPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
        config.put(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("sasl.enabled.mechanisms", "PLAIN");
        config.put(
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"admin\" password=\"admin-secret\""
                        + " user_admin=\"admin-secret\" user_" + SASL_USER + "=\"" + SASL_PASSWORD + "\";");
        config.put("log.dirs", logDir.toString());
        // One broker: every internal topic has a single replica.
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("num.partitions", "1");
        config.put("auto.create.topics.enable", "true");
        config.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));

        KafkaConfig kafkaConfig = new KafkaConfig(config, false);
        format(logDir, kafkaConfig);
        KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM, Option.empty());
        server.startup();
        EmbeddedKafkaBroker broker =
                new EmbeddedKafkaBroker(server, logDir, "127.0.0.1:" + plaintextPort, "127.0.0.1:" + saslPort);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "embedded-kafka-shutdown"));
        return broker;
    }

    String plaintextBootstrap() {
        return plaintextBootstrap;
    }

    String saslBootstrap() {
        return saslBootstrap;
    }

    void stop() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            try {
                WorkDir.deleteRecursively(logDir);
            } catch (UncheckedIOException ignored) {
                // a file still held open at JVM exit; target/ is cleaned by mvn clean anyway
            }
        }
    }

    private static void format(Path logDir, KafkaConfig config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetaProperties meta = new MetaProperties(Uuid.randomUuid().toString(), config.nodeId());
        int exit = StorageTool.formatCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                JavaConverters.asScalaBuffer(List.of(logDir.toString())).toSeq(),
                meta,
                MetadataVersion.latest(),
                false);
        if (exit != 0) {
            throw new IllegalStateException("Formatting the Kafka log directory " + logDir + " failed: "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }

    private static void requireFree(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("A port is between 1 and 65535, not " + port);
        }
        try (ServerSocket socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " on 127.0.0.1 is in use (is a broker already running"
                    + " there?): stop it, or choose another port");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1 for the Kafka broker", e);
        }
    }
}
