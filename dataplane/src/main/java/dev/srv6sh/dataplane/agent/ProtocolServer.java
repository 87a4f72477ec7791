package dev.srv6sh.dataplane.agent;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One connection's server side of {@link AgentProtocol}: reads requests, runs each on a virtual
 * thread, writes each answer as one frame. At most {@link #IN_FLIGHT} requests run at once; the next
 * one is not read until one finishes, so a client cannot make the router start unbounded work.
 */
final class ProtocolServer {
    static final int IN_FLIGHT = 32;

    private final RouterAgent agent;
    private final InputStream in;
    private final OutputStream out;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore permits = new Semaphore(IN_FLIGHT);
    /** The sessions one connection may hold open at once (a backend needs one; a person a few). */
    static final int MAX_SESSIONS = 64;
    /** The captures one connection may run at once. */
    static final int MAX_CAPTURES = 8;

    private final Map<Long, Future<?>> running = new ConcurrentHashMap<>();
    /**
     * The requests that may be stopped midway: waits (a trace), the operations that declare {@link
     * InterruptedException}. A commit or a rollback is never interrupted, by a cancel or by the
     * connection ending: it is carried out whole, and the history says so.
     */
    private final java.util.Set<Long> stoppable = ConcurrentHashMap.newKeySet();
    /** Sessions opened over this connection and not closed: closed when it ends. */
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    /** The captures this connection started and has not stopped: stopped when it ends. */
    private final Set<String> captures = ConcurrentHashMap.newKeySet();

    private volatile boolean outputFailed;

    ProtocolServer(RouterAgent agent, InputStream in, OutputStream out) {
        this.agent = agent;
        this.in = in;
        this.out = out;
    }

    void run() throws IOException {
        try {
            while (!outputFailed) {
                String frame;
                try {
                    frame = AgentProtocol.readFrame(in);
                } catch (AgentProtocol.NotUtf8 e) {
                    send(AgentProtocol.errorReply(null, AgentException.BAD_REQUEST, e.getMessage()));
                    continue;
                } catch (AgentProtocol.FrameTooLarge e) {
                    send(AgentProtocol.errorReply(
                            null, AgentException.BAD_REQUEST, e.getMessage() + "; closing the connection"));
                    return;
                } catch (EOFException e) {
                    return; // the peer went away mid-frame: nobody to answer
                }
                if (frame == null) {
                    return;
                }
                handle(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finish();
        }
    }

    private void handle(String frame) throws InterruptedException {
        Map<?, ?> message;
        try {
            if (!(JsonText.parseExact(frame) instanceof Map<?, ?> m)) {
                send(AgentProtocol.errorReply(null, AgentException.BAD_REQUEST, "a request is a JSON object"));
                return;
            }
            message = m;
        } catch (IllegalArgumentException e) {
            send(AgentProtocol.errorReply(null, AgentException.BAD_REQUEST, "not JSON: " + e.getMessage()));
            return;
        }
        if (message.containsKey("cancel")) {
            Long id = AgentProtocol.id(message.get("cancel"));
            Future<?> f = id == null || !stoppable.contains(id) ? null : running.get(id);
            if (f != null) {
                f.cancel(true);
            }
            return;
        }
        Long id = AgentProtocol.id(message.get("id"));
        if (id == null) {
            send(AgentProtocol.errorReply(null, AgentException.BAD_REQUEST, "a request needs a whole-number \"id\""));
            return;
        }
        Method op = message.get("op") instanceof String name ? AgentProtocol.OPERATIONS.get(name) : null;
        if (op == null) {
            send(AgentProtocol.errorReply(
                    id,
                    AgentException.BAD_REQUEST,
                    "unknown operation " + (message.get("op") instanceof String s ? "'" + s + "'" : "(none given)")
                            + "; the operations are " + String.join(", ", AgentProtocol.OPERATIONS.keySet())));
            return;
        }
        Object[] args;
        try {
            args = arguments(op, message.get("args"));
        } catch (IllegalArgumentException e) {
            send(AgentProtocol.errorReply(id, AgentException.BAD_REQUEST, op.getName() + ": " + e.getMessage()));
            return;
        }
        String limit =
                switch (op.getName()) {
                    case "openSession" ->
                        sessions.size() >= MAX_SESSIONS
                                ? "a connection holds at most " + MAX_SESSIONS + " sessions; close one first"
                                : null;
                    case "captureStart" ->
                        captures.size() >= MAX_CAPTURES
                                ? "a connection runs at most " + MAX_CAPTURES + " captures; stop one first"
                                : null;
                    default -> null;
                };
        if (limit != null) { // each holds memory in the router (a candidate, a capture's buffer)
            send(AgentProtocol.errorReply(id, AgentException.BAD_REQUEST, op.getName() + ": " + limit));
            return;
        }
        permits.acquire();
        try {
            // registered before it runs, so that a cancel right behind the request finds it
            synchronized (running) {
                if (java.util.Arrays.asList(op.getExceptionTypes()).contains(InterruptedException.class)) {
                    stoppable.add(id);
                }
                running.put(id, workers.submit(() -> call(id, op, args)));
            }
        } catch (RuntimeException e) { // the executor was shut down: the connection is ending
            permits.release();
            send(AgentProtocol.errorReply(id, AgentException.INTERNAL, "the connection is closing"));
        }
    }

    private static Object[] arguments(Method op, Object tree) {
        Type[] types = op.getGenericParameterTypes();
        List<?> given = tree == null ? List.of() : tree instanceof List<?> l ? l : null;
        if (given == null) {
            throw new IllegalArgumentException("\"args\" is not an array");
        }
        if (given.size() != types.length) {
            throw new IllegalArgumentException(
                    "takes " + types.length + " argument" + (types.length == 1 ? "" : "s") + ", not " + given.size());
        }
        Object[] args = new Object[types.length];
        for (int k = 0; k < types.length; k++) {
            args[k] = AgentJson.fromTree(given.get(k), types[k], "args[" + k + "]");
        }
        return args;
    }

    private void call(long id, Method op, Object[] args) {
        String reply;
        try {
            Object value = op.invoke(agent, args);
            reply = AgentProtocol.okReply(id, AgentJson.write(value, op.getGenericReturnType()));
            remember(op, args, value);
        } catch (InvocationTargetException e) {
            reply = switch (e.getCause() == null ? e : e.getCause()) {
                case AgentException a -> AgentProtocol.errorReply(id, a.code(), a.getMessage());
                case InterruptedException i ->
                    AgentProtocol.errorReply(id, AgentException.INTERNAL, op.getName() + " was interrupted");
                case Throwable t ->
                    AgentProtocol.errorReply(
                            id, AgentException.INTERNAL, op.getName() + " failed inside the router: " + t);
            };
        } catch (IllegalAccessException | RuntimeException e) { // an answer with no JSON encoding
            reply = AgentProtocol.errorReply(
                    id, AgentException.INTERNAL, op.getName() + "'s answer cannot be encoded: " + e.getMessage());
        }
        try {
            try {
                AgentProtocol.frame(reply);
            } catch (AgentProtocol.FrameTooLarge e) {
                reply = AgentProtocol.errorReply(
                        id, AgentException.BAD_REQUEST, op.getName() + "'s answer is too large: " + e.getMessage());
            }
            send(reply);
        } finally {
            synchronized (running) {
                running.remove(id);
                stoppable.remove(id);
            }
            permits.release();
        }
    }

    private void remember(Method op, Object[] args, Object value) {
        switch (op.getName()) {
            case "openSession" -> sessions.add((String) value);
            case "closeSession" -> sessions.remove((String) args[0]);
            case "captureStart" -> captures.add((String) value);
            case "captureStop" -> captures.remove((String) args[0]);
            default -> {}
        }
    }

    private void send(String reply) {
        if (outputFailed) {
            return;
        }
        try {
            byte[] f = AgentProtocol.frame(reply);
            synchronized (out) {
                out.write(f);
                out.flush();
            }
        } catch (IOException e) {
            outputFailed = true; // the client is gone; the read loop ends at its next frame
        }
    }

    /** Interrupts the requests that are waits; the others run to their end. */
    private void stopWaits() {
        for (Long id : stoppable) {
            Future<?> f = running.get(id);
            if (f != null) {
                f.cancel(true);
            }
        }
    }

    private void finish() {
        workers.shutdown();
        try {
            if (outputFailed) {
                stopWaits(); // nobody reads their answers; commits under way finish
            }
            while (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
                // a trace can wait as long as it was asked to
            }
        } catch (InterruptedException e) {
            stopWaits();
            Thread.currentThread().interrupt();
        }
        for (String c : captures) { // armed, it would copy every frame for nobody, for ever
            try {
                agent.captureStop(c);
            } catch (AgentException | RuntimeException e) {
                // stopped already, or the agent is gone
            }
        }
        for (String s : sessions) {
            try {
                agent.closeSession(s);
            } catch (AgentException | RuntimeException e) {
                // the session went with the agent
            }
        }
        try {
            out.flush();
        } catch (IOException e) {
            // the client is gone
        }
    }
}
