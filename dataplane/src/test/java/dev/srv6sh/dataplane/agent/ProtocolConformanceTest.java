package dev.srv6sh.dataplane.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's conformance suite through the management protocol alone (in-memory pipes, no SSH): what
 * the SSH transport adds is then only the channel, which SshAgentConformanceTest covers in the shell.
 */
class ProtocolConformanceTest {
    @TempDir
    Path dir;

    /** The router in process, its agent served over pipes, the agent under test the protocol's client. */
    static final class PipeFixture implements AgentConformance.Fixture {
        private final EngineFixture router;
        private AgentConnection connection;
        private Thread server;

        PipeFixture(Path dir) throws Exception {
            router = new EngineFixture(dir);
            connect();
        }

        private void connect() {
            Pipe requests = new Pipe();
            Pipe answers = new Pipe();
            RouterAgent served = router.engineAgent();
            server = Thread.ofVirtual().start(() -> {
                try {
                    AgentProtocol.serve(served, requests.in, answers.out);
                } catch (java.io.IOException e) {
                    // the client went away
                } finally {
                    answers.closeOut();
                }
            });
            connection = AgentProtocol.connect(answers.in, requests.out, requests::closeOut);
        }

        @Override
        public RouterAgent agent() {
            return connection.agent();
        }

        @Override
        public ManualTime time() {
            return router.time();
        }

        @Override
        public void send(String iface, byte[] frame) throws Exception {
            router.send(iface, frame);
        }

        @Override
        public List<byte[]> sent(String iface) throws Exception {
            return router.sent(iface);
        }

        @Override
        public boolean restart() throws Exception {
            connection.close();
            server.join();
            router.restart();
            connect();
            return true;
        }

        @Override
        public void close() throws Exception {
            connection.close();
            server.join();
            router.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        return AgentConformance.checks().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    try (PipeFixture f = new PipeFixture(dir.resolve(c.name().replaceAll("[^a-z0-9]+", "-")))) {
                        c.run(f);
                    }
                }));
    }
}
