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

    /**
     * The same checks over a router of two workers (the router daemon's {@code --workers 2}): one
     * router to its clients, frames sent going to one worker after the other.
     */
    @TestFactory
    Stream<DynamicTest> conformanceOfTwoWorkers() {
        return AgentConformance.checks().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    try (EngineFixture f =
                            new EngineFixture(dir.resolve("w2-" + c.name().replaceAll("[^a-z0-9]+", "-")), 2)) {
                        c.run(f);
                    }
                }));
    }
}
