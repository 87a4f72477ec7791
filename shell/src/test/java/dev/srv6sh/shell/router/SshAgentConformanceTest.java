package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.AgentConformance;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's conformance suite over the SSH transport: MINA's client to the router daemon's SSH
 * server on loopback, the srv6sh-agent subsystem carrying every call. The same checks as in process
 * (EngineAgentConformanceTest): a transport that loses an error code, a field or an exception fails here.
 */
@Timeout(300)
class SshAgentConformanceTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> conformance() {
        return AgentConformance.checks().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    try (SshFixture f = new SshFixture(dir.resolve(c.name().replaceAll("[^a-z0-9]+", "-")))) {
                        c.run(f);
                    }
                }));
    }
}
