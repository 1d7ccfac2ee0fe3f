package io.streamingworkshop.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LocalKafkaBrokerTest {

    @Test
    void takesThePortFromTheCommandLineAndDefaultsTo9092() {
        assertThat(LocalKafkaBroker.port(new String[0])).isEqualTo(9092);
        assertThat(LocalKafkaBroker.port(new String[] {"--port", "19092"})).isEqualTo(19092);
        assertThat(LocalKafkaBroker.port(new String[] {"--port=19093"})).isEqualTo(19093);
        assertThat(LocalKafkaBroker.port(new String[] {"--help"})).isZero();
    }

    @Test
    void rejectsAPortThatIsNotOne() {
        assertThatThrownBy(() -> LocalKafkaBroker.port(new String[] {"--port", "ninety"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port takes a number, got 'ninety'");
        assertThatThrownBy(() -> LocalKafkaBroker.port(new String[] {"--port", "70000"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port must be between 1 and 65535, got 70000");
        assertThatThrownBy(() -> LocalKafkaBroker.port(new String[] {"--prot", "1"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown argument '--prot'");
    }

    @Test
    void aBrokerOnAPortInUseFailsWithAClearMessageBeforeStarting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "Port " + port + " on 127.0.0.1 is in use (is a broker already running there?): stop it,"
                                    + " or choose another port");
        }
    }
}
