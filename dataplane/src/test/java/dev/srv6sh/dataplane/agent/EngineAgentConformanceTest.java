package dev.srv6sh.dataplane.agent;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The agent's conformance suite over the in-process agent, each check on a fresh router with a history on disk. */
class EngineAgentConformanceTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> conformance() {
        return AgentConformance.checks().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    try (EngineFixture f =
                            new EngineFixture(dir.resolve(c.name().replaceAll("[^a-z0-9]+", "-")))) {
                        c.run(f);
                    }
                }));
    }
}
