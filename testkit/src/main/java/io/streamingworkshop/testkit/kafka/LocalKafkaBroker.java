package io.streamingworkshop.testkit.kafka;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * A real Kafka broker on a fixed port of this machine, for trying the Kafka lessons and the
 * datagen {@code kafka} command without installing Kafka:
 *
 * <pre>./mvnw -q -pl testkit exec:exec@kafka-broker                      (localhost:9092)
 * ./mvnw -q -pl testkit exec:exec@kafka-broker -Dkafka.port=19092</pre>
 *
 * It is the test kit's in-process KRaft broker (one node, PLAINTEXT on the port given, plus a
 * SASL/PLAIN listener on a free port), running until Ctrl-C; its log directory is deleted then.
 */
public final class LocalKafkaBroker {

    static final int DEFAULT_PORT = 9092;

    private LocalKafkaBroker() {}

    public static void main(String[] args) {
        int port;
        try {
            port = port(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kafka-broker: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (port == 0) {
            System.out.println(usage());
            return;
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(port);
        } catch (RuntimeException e) {
            System.err.println("kafka-broker: the broker did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        announce(System.out, broker);
        try {
            new CountDownLatch(1).await(); // until Ctrl-C; the broker's shutdown hook stops it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The port asked for ({@code --port N}, default 9092), or 0 when help was asked for. */
    static int port(String[] args) {
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return 0;
            }
            if (!arg.equals("--port") && !arg.startsWith("--port=")) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'. " + usage());
            }
            String value = arg.startsWith("--port=")
                    ? arg.substring("--port=".length())
                    : i + 1 < args.length ? args[++i] : "";
            try {
                port = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port takes a number, got '" + value + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--port must be between 1 and 65535, got " + port);
            }
        }
        return port;
    }

    private static String usage() {
        return "Usage: ./mvnw -q -pl testkit exec:exec@kafka-broker [-Dkafka.port=N]   (default port " + DEFAULT_PORT
                + ")";
    }

    private static void announce(PrintStream out, EmbeddedKafkaBroker broker) {
        String port = broker.plaintextBootstrap()
                .substring(broker.plaintextBootstrap().lastIndexOf(':') + 1);
        out.println("Kafka broker ready: bootstrap servers localhost:" + port + " (PLAINTEXT)");
        out.println("  SASL/PLAIN listener: " + broker.saslBootstrap() + " (user " + EmbeddedKafkaBroker.SASL_USER
                + ", password " + EmbeddedKafkaBroker.SASL_PASSWORD + ")");
        out.println("  Topics are created on first use. Stop with Ctrl-C (the broker's data is deleted then).");
        out.flush();
    }
}
