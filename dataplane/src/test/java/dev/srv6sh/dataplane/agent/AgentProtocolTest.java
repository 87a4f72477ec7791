package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The management protocol over in-memory pipes, served by a real agent (over an engine): every kind of
 * answer, refusals, and what a bad peer gets.
 */
@Timeout(30)
class AgentProtocolTest {
    private final EngineFixture fixture = fixture();
    private final Observed router = new Observed(fixture.engineAgent());
    private final Pipe requests = new Pipe();
    private final Pipe answers = new Pipe();
    private final AtomicReference<Throwable> serverFailed = new AtomicReference<>();
    private final Thread server = Thread.ofPlatform().start(() -> {
        try {
            AgentProtocol.serve(router.proxy, requests.in, answers.out);
        } catch (Throwable t) {
            serverFailed.set(t);
        } finally {
            answers.closeOut();
        }
    });

    private static EngineFixture fixture() {
        try {
            EngineFixture f = new EngineFixture(null);
            AgentConformance.base(f);
            return f;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void serverNeverThrows() throws Exception {
        requests.closeOut();
        server.join(10_000);
        assertThat(server.isAlive()).isFalse();
        assertThat(serverFailed.get()).isNull();
        fixture.close();
    }

    /**
     * The agent, watched: a latch as a trace starts and as one is interrupted, the sessions closed, and
     * (when told) a failure inside the router that is not an AgentException.
     */
    static final class Observed {
        final CountDownLatch traceWaiting = new CountDownLatch(1);
        final CountDownLatch traceInterrupted = new CountDownLatch(1);
        final Set<String> closed = ConcurrentHashMap.newKeySet();
        volatile boolean failNeighbors;
        final RouterAgent proxy;

        Observed(RouterAgent agent) {
            proxy = (RouterAgent) Proxy.newProxyInstance(
                    RouterAgent.class.getClassLoader(), new Class<?>[] {RouterAgent.class}, (p, m, args) -> {
                        switch (m.getName()) {
                            case "trace" -> traceWaiting.countDown();
                            case "closeSession" -> closed.add((String) args[0]);
                            case "neighbors" -> {
                                if (failNeighbors) {
                                    throw new IllegalStateException("the neighbor table is gone");
                                }
                            }
                            default -> {}
                        }
                        try {
                            return m.invoke(agent, args);
                        } catch (InvocationTargetException e) {
                            if (e.getCause() instanceof InterruptedException
                                    || e.getCause() instanceof AgentException a
                                            && a.getMessage().contains("interrupted")) {
                                traceInterrupted.countDown();
                            }
                            throw e.getCause();
                        }
                    });
        }
    }

    private static String message(java.util.concurrent.Callable<?> call) {
        try {
            call.call();
            return "(no error)";
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    private AgentConnection client() {
        return AgentProtocol.connect(answers.in, requests.out, null);
    }

    @Test
    void everyKindOfAnswerComesBackAsTheRecordsItWas() throws Exception {
        RouterAgent direct = fixture.engineAgent();
        try (AgentConnection c = client()) {
            RouterAgent agent = c.agent();
            assertThat(agent.describe()).isEqualTo(direct.describe());
            String s = agent.openSession("alice");
            assertThat(agent.candidate(s)).isEqualTo(new ConfigView(1, AgentConformance.BASE));
            DataplaneConfig changed =
                    AgentConformance.withSid(AgentConformance.BASE, AgentConformance.dx4("dx4", "2001:db8:f::10"));
            assertThat(agent.edit(s, changed).config()).isEqualTo(changed);
            assertThat(agent.diff(s)).isEqualTo(direct.diff(s)).hasSize(1);
            CommitResult r = agent.commit(s, "shorter \"paths\"\n", Duration.ofMinutes(5));
            assertThat(r.generation()).isEqualTo(2);
            assertThat(r.confirmBy()).isNotNull();
            assertThat(agent.confirm(s).id()).isEqualTo(r.id());
            assertThat(agent.running()).isEqualTo(new ConfigView(2, changed));
            assertThat(agent.commits()).isEqualTo(direct.commits());
            assertThat(agent.commits().getFirst().comment()).isEqualTo("shorter \"paths\"\n");
            assertThat(agent.counters().ports()).isEqualTo(direct.counters().ports());
            assertThat(agent.fib()).isEqualTo(direct.fib());
            assertThat(agent.neighbors()).hasSameSizeAs(direct.neighbors()).isNotEmpty();
            assertThat(agent.trace(1, Duration.ZERO)).isEqualTo(new Traces(List.of(), List.of()));
            String capture = agent.captureStart(null);
            fixture.send("inside", AgentConformance.udp4("192.0.2.10", "203.0.113.5", 64));
            byte[] pcap = agent.captureRead(capture, 1 << 20);
            assertThat(pcap).hasSizeGreaterThan(24 + 16 + 64); // the header, and a frame in and out
            assertThat(agent.captureStop(capture).frames()).isEqualTo(2);
            CommitResult back = agent.rollback(s, 1, "undo");
            assertThat(back.generation()).isEqualTo(3);
            agent.discard(s);
            agent.closeSession(s);
            assertThat(router.closed).contains(s);
        }
    }

    @Test
    void aRefusalComesBackWithItsCodeAndMessage() throws Exception {
        try (AgentConnection c = client()) {
            RouterAgent agent = c.agent();
            assertThatThrownBy(() -> agent.candidate("nobody"))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.NO_SESSION))
                    .hasMessage(message(() -> fixture.engineAgent().candidate("nobody")));
            String s = agent.openSession("bob");
            assertThatThrownBy(() -> agent.commit(s, null, null))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.NO_CHANGES));
            assertThatThrownBy(() -> agent.captureStart("eth9"))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.BAD_REQUEST))
                    .hasMessage("router r1 has no interface 'eth9'");
            // the connection is still good
            assertThat(agent.running().generation()).isEqualTo(1);
        }
    }

    @Test
    void aFailureInsideTheRouterIsAnInternalErrorNotABrokenConnection() throws Exception {
        try (AgentConnection c = client()) {
            RouterAgent agent = c.agent();
            router.failNeighbors = true;
            assertThatThrownBy(agent::neighbors)
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.INTERNAL))
                    .hasMessage("neighbors failed inside the router: java.lang.IllegalStateException: the neighbor"
                            + " table is gone");
            assertThat(c.isOpen()).isTrue();
            assertThat(agent.fib()).isNotEmpty();
        }
    }

    @Test
    void aLongTraceDoesNotHoldUpOtherRequests() throws Exception {
        try (AgentConnection c = client()) {
            RouterAgent agent = c.agent();
            CompletableFuture<Traces> trace = CompletableFuture.supplyAsync(() -> {
                try {
                    return agent.trace(1, Duration.ofSeconds(2));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(router.traceWaiting.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(trace).isNotDone();
            assertThat(agent.fib()).isNotEmpty(); // answered while the trace waits
            assertThat(trace.get(10, TimeUnit.SECONDS).live()).isEmpty();
        }
    }

    @Test
    void interruptingATraceInterruptsItInTheRouter() throws Exception {
        try (AgentConnection c = client()) {
            RouterAgent agent = c.agent();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    agent.trace(1, Duration.ofMinutes(5));
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            assertThat(router.traceWaiting.await(10, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join(10_000);
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            assertThat(router.traceInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.fib()).isNotEmpty();
        }
    }

    @Test
    void sessionsAConnectionLeftOpenAreClosedWhenItEnds() throws Exception {
        AgentConnection c = client();
        String s = c.agent().openSession("carol");
        String gone = c.agent().openSession("carol");
        c.agent().closeSession(gone);
        c.close();
        server.join(10_000);
        assertThat(router.closed).contains(s, gone);
        assertThatThrownBy(() -> c.agent().running())
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT))
                .hasMessageContaining("closed");
    }

    @Test
    void capturesAConnectionLeftRunningAreStoppedWhenItEnds() throws Exception {
        AgentConnection c = client();
        String left = c.agent().captureStart(null);
        String stopped = c.agent().captureStart("inside");
        c.agent().captureStop(stopped);
        assertThat(fixture.engineAgent().capturing()).isEqualTo(1);
        c.close();
        server.join(10_000);
        assertThat(fixture.engineAgent().capturing()).isZero(); // 'left' was stopped as the connection ended
        assertThat(left).isNotEqualTo(stopped);
    }

    @Test
    void aConnectionHoldsBoundedSessionsAndCaptures() throws Exception {
        AgentConnection c = client();
        java.util.List<String> open = new java.util.ArrayList<>();
        for (int i = 0; i < ProtocolServer.MAX_SESSIONS; i++) {
            open.add(c.agent().openSession("dave"));
        }
        assertThatThrownBy(() -> c.agent().openSession("dave"))
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.BAD_REQUEST))
                .hasMessageContaining("at most " + ProtocolServer.MAX_SESSIONS + " sessions");
        c.agent().closeSession(open.getFirst());
        c.agent().openSession("dave"); // room again
        for (int i = 0; i < ProtocolServer.MAX_CAPTURES; i++) {
            c.agent().captureStart(null);
        }
        assertThatThrownBy(() -> c.agent().captureStart(null))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("at most " + ProtocolServer.MAX_CAPTURES + " captures");
        c.close();
        server.join(10_000);
        assertThat(fixture.engineAgent().capturing()).isZero();
    }

    @Test
    void aTraceMayWaitTenMinutesAtMost() throws Exception {
        AgentConnection c = client();
        assertThatThrownBy(() -> c.agent().trace(1, java.time.Duration.ofHours(24)))
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.BAD_REQUEST))
                .hasMessageContaining("a trace waits 0 to 10 minutes");
        c.close();
    }

    @Test
    void aRouterThatGoesAwayFailsTheCallsWaitingAndEveryCallAfter() throws Exception {
        Pipe toClient = new Pipe();
        Pipe toRouter = new Pipe();
        try (AgentConnection c = AgentProtocol.connect(toClient.in, toRouter.out, null)) {
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    c.agent().running();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            readFrame(toRouter.in); // the request arrived; the router dies before answering
            toClient.closeOut();
            assertThat(waiting.get(10, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT))
                    .hasMessage("the router closed the connection");
            assertThatThrownBy(() -> c.agent().fib())
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT));
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void aPeerThatIsNotTheProtocolIsATransportError() throws Exception {
        Pipe toClient = new Pipe();
        Pipe toRouter = new Pipe();
        try (AgentConnection c = AgentProtocol.connect(toClient.in, toRouter.out, null)) {
            toClient.out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> c.agent().running())
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT))
                    .hasMessageContaining("more than the protocol's limit");
        }
        Pipe garbage = new Pipe();
        try (AgentConnection c = AgentProtocol.connect(garbage.in, new Pipe().out, null)) {
            garbage.out.write(AgentProtocol.frame("[1,2"));
            assertThatThrownBy(() -> c.agent().running())
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.TRANSPORT))
                    .hasMessageContaining("not the protocol");
        }
    }

    // ---- what the server answers to bad frames, on the wire

    private Map<?, ?> ask(String json) throws IOException {
        requests.out.write(AgentProtocol.frame(json));
        return answer();
    }

    private Map<?, ?> answer() throws IOException {
        return (Map<?, ?>) JsonText.parseExact(readFrame(answers.in));
    }

    private static String readFrame(InputStream in) throws IOException {
        String f = AgentProtocol.readFrame(in);
        assertThat(f).as("a frame").isNotNull();
        return f;
    }

    private static void assertBadRequest(Map<?, ?> reply, Object id, String message) {
        assertThat(reply.get("ok")).isEqualTo(false);
        assertThat(reply.get("id") == null ? null : ((java.math.BigDecimal) reply.get("id")).longValue())
                .isEqualTo(id);
        Map<?, ?> error = (Map<?, ?>) reply.get("error");
        assertThat(error.get("code")).isEqualTo(AgentException.BAD_REQUEST);
        assertThat((String) error.get("message")).contains(message);
    }

    @Test
    void badRequestsGetAnErrorAndTheConnectionStays() throws IOException {
        assertBadRequest(ask("{\"id\":1,\"op\":\"reboot\",\"args\":[]}"), 1L, "unknown operation 'reboot'");
        assertBadRequest(ask("{\"id\":2,\"args\":[]}"), 2L, "unknown operation (none given)");
        assertBadRequest(ask("{\"id\":3,\"op\":\"trace\",\"args\":[1]}"), 3L, "trace: takes 2 arguments, not 1");
        assertBadRequest(
                ask("{\"id\":4,\"op\":\"trace\",\"args\":[\"x\",\"PT1S\"]}"), 4L, "args[0]: expected a number");
        assertBadRequest(ask("{\"id\":5,\"op\":\"trace\",\"args\":[1,\"soon\"]}"), 5L, "trace: args[1]");
        assertBadRequest(ask("{\"id\":6,\"op\":\"running\",\"args\":{}}"), 6L, "\"args\" is not an array");
        assertBadRequest(ask("{\"op\":\"running\",\"args\":[]}"), null, "whole-number \"id\"");
        assertBadRequest(ask("{\"id\":1.5,\"op\":\"running\",\"args\":[]}"), null, "whole-number \"id\"");
        assertBadRequest(ask("[1,2,3]"), null, "a request is a JSON object");
        assertBadRequest(ask("{\"id\":7,\"op\":"), null, "not JSON");
        assertBadRequest(ask(""), null, "not JSON");
        assertBadRequest(ask("[".repeat(10_000)), null, "nested deeper than");
        requests.out.write(new byte[] {0, 0, 0, 2, (byte) 0xc3, (byte) 0x28});
        assertBadRequest(answer(), null, "not UTF-8");
        // an unknown member is ignored (a newer client may send more); the connection still answers
        Map<?, ?> ok = ask("{\"id\":8,\"op\":\"running\",\"args\":[],\"trace-id\":\"x\"}");
        assertThat(ok.get("ok")).isEqualTo(true);
        assertThat(((Map<?, ?>) ok.get("value")).get("generation")).isEqualTo(java.math.BigDecimal.ONE);
        // a cancel for nothing running gets no answer; the next request does
        requests.out.write(AgentProtocol.frame("{\"cancel\":99}"));
        assertThat(ask("{\"id\":9,\"op\":\"fib\"}").get("ok")).isEqualTo(true);
    }

    @Test
    void anOversizedFrameIsRefusedAndTheConnectionClosed() throws Exception {
        requests.out.write(
                ByteBuffer.allocate(4).putInt(AgentProtocol.MAX_FRAME + 1).array());
        assertBadRequest(answer(), null, "more than the protocol's limit of 16777216 bytes");
        server.join(10_000);
        assertThat(server.isAlive()).isFalse();
        assertThat(AgentProtocol.readFrame(answers.in)).isNull();
    }

    @Test
    void aFrameCutShortEndsTheConnectionQuietly() throws Exception {
        OutputStream out = requests.out;
        out.write(new byte[] {0, 0, 0, 50, '{'});
        requests.closeOut();
        server.join(10_000);
        assertThat(server.isAlive()).isFalse();
        assertThat(AgentProtocol.readFrame(answers.in)).isNull();
    }

    @Test
    void theClientRefusesToSendAFrameTheRouterWouldRefuse() throws Exception {
        try (AgentConnection c = client()) {
            String s = c.agent().openSession("dave");
            byte[] big = new byte[AgentProtocol.MAX_FRAME];
            DataplaneConfig huge = new DataplaneConfig(
                    new String(big, StandardCharsets.ISO_8859_1).replace('\0', 'x'),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    null);
            assertThatThrownBy(() -> c.agent().edit(s, huge))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.BAD_REQUEST))
                    .hasMessageContaining("edit: the request is too large");
            assertThat(c.agent().running().generation()).isEqualTo(1);
        }
    }

    @Test
    void everyOperationIsAMethodOfTheAgent() {
        assertThat(AgentProtocol.operationNames())
                .hasSize(RouterAgent.class.getMethods().length)
                .contains("commit", "trace", "captureRead");
    }
}
