package dev.srv6sh.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The management protocol over in-memory pipes: every kind of answer, refusals, and what a bad peer gets. */
@Timeout(30)
class AgentProtocolTest {
    private final MemoryAgent router = new MemoryAgent();
    private final Pipe requests = new Pipe();
    private final Pipe answers = new Pipe();
    private final AtomicReference<Throwable> serverFailed = new AtomicReference<>();
    private final Thread server = Thread.ofPlatform().start(() -> {
        try {
            AgentProtocol.serve(router, requests.in, answers.out);
        } catch (Throwable t) {
            serverFailed.set(t);
        } finally {
            answers.closeOut();
        }
    });

    @AfterEach
    void serverNeverThrows() throws InterruptedException {
        requests.closeOut();
        server.join(10_000);
        assertThat(server.isAlive()).isFalse();
        assertThat(serverFailed.get()).isNull();
    }

    private AgentConnection client() {
        return AgentProtocol.connect(answers.in, requests.out, null);
    }

    @Test
    void everyKindOfAnswerComesBackAsTheRecordsItWas() throws Exception {
        try (AgentConnection c = client()) {
            RouterAgent agent = c.agent();
            assertThat(agent.describe()).isEqualTo(router.describe());
            String s = agent.openSession("alice");
            assertThat(agent.candidate(s)).isEqualTo(new ConfigView(0, MemoryAgent.EMPTY));
            DataplaneConfig changed = new DataplaneConfig(
                    "r1",
                    MemoryAgent.EMPTY.interfaces(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    new DataplaneConfig.Encap(MemoryAgent.EMPTY.encap().source(), 32));
            assertThat(agent.edit(s, changed).config()).isEqualTo(changed);
            assertThat(agent.diff(s)).containsExactly(new Change("encap", "encap hoplimit 64", "encap hoplimit 32"));
            CommitResult r = agent.commit(s, "shorter \"paths\"\n", Duration.ofMinutes(5));
            assertThat(r.generation()).isEqualTo(1);
            assertThat(r.confirmBy()).isNotNull();
            assertThat(agent.running()).isEqualTo(new ConfigView(1, changed));
            assertThat(agent.commits()).isEqualTo(router.commits());
            assertThat(agent.commits().getFirst().comment()).isEqualTo("shorter \"paths\"\n");
            assertThat(agent.counters()).isEqualTo(router.counters());
            assertThat(agent.counters().errors()).containsEntry("ip6-input: hop limit", Long.MAX_VALUE);
            assertThat(agent.fib()).isEqualTo(router.fib());
            assertThat(agent.neighbors()).isEmpty();
            assertThat(agent.trace(1, Duration.ZERO)).isEqualTo(router.trace(1, Duration.ZERO));
            String capture = agent.captureStart(null);
            assertThat(agent.captureRead(capture, 1000)).isEqualTo(router.captureRead(capture, 1000));
            assertThat(agent.captureStop(capture)).isEqualTo(new CaptureSummary("c1", 3, 0));
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
                    .hasMessage("no session nobody");
            String s = agent.openSession("bob");
            assertThatThrownBy(() -> agent.commit(s, null, null))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.NO_CHANGES));
            assertThatThrownBy(() -> agent.captureStart("eth9"))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.BAD_REQUEST))
                    .hasMessage("no interface eth9");
            // the connection is still good
            assertThat(agent.running().generation()).isZero();
        }
    }

    @Test
    void aFailureInsideTheRouterIsAnInternalErrorNotABrokenConnection() throws Exception {
        try (AgentConnection c = client()) {
            RouterAgent agent = c.agent();
            assertThatThrownBy(() -> agent.trace(-1, Duration.ZERO))
                    .isInstanceOfSatisfying(
                            AgentException.class, e -> assertThat(e.code()).isEqualTo(AgentException.INTERNAL))
                    .hasMessageContaining("a negative count reached the test agent");
            assertThat(c.isOpen()).isTrue();
            assertThat(agent.fib()).hasSize(1);
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
            assertThat(agent.fib()).hasSize(1); // answered while the trace waits
            assertThat(trace.get(10, TimeUnit.SECONDS).live()).hasSize(1);
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
            assertThat(agent.fib()).hasSize(1);
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
        assertThat(((Map<?, ?>) ok.get("value")).get("generation")).isEqualTo(java.math.BigDecimal.ZERO);
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
            assertThat(c.agent().running().generation()).isZero();
        }
    }

    @Test
    void everyOperationIsAMethodOfTheAgent() {
        assertThat(AgentProtocol.operationNames())
                .hasSize(RouterAgent.class.getMethods().length)
                .contains("commit", "trace", "captureRead");
    }
}
