package dev.srv6sh.dataplane.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of {@link AgentProtocol}: {@link #agent()} is a {@link RouterAgent} whose every
 * call is a request over the streams, answered in whatever order the router finishes them (several
 * threads may call at once). A refusal comes back as the router's {@link AgentException}, code and
 * message; anything wrong with the connection itself (closed, broken, an answer that is not the
 * protocol) as an {@link AgentException} with code {@link AgentException#TRANSPORT}, after which every
 * call fails the same way: a connection is not reopened behind the caller's back, since the sessions
 * it held are gone with it.
 *
 * <p>A caller interrupted while it waits gets {@link InterruptedException} from {@code trace} (which
 * declares it) and a {@code transport} error from the others, with its interrupt status kept; the
 * router is asked to interrupt the request.
 */
public final class AgentConnection implements AutoCloseable {
    private final InputStream in;
    private final OutputStream out;
    private final AutoCloseable onClose;
    private final RouterAgent agent;
    private final Map<Long, CompletableFuture<Map<?, ?>>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Thread reader;

    private volatile AgentException failure;
    private volatile boolean closed;

    AgentConnection(InputStream in, OutputStream out, AutoCloseable onClose) {
        this.in = in;
        this.out = out;
        this.onClose = onClose;
        this.agent = (RouterAgent) Proxy.newProxyInstance(
                RouterAgent.class.getClassLoader(), new Class<?>[] {RouterAgent.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "RouterAgent over " + AgentProtocol.SUBSYSTEM;
                        };
                    }
                    return call(method, args == null ? new Object[0] : args);
                });
        this.reader = Thread.ofVirtual().name("srv6sh-agent-client").start(this::readAnswers);
    }

    /** The router, through this connection. */
    public RouterAgent agent() {
        return agent;
    }

    /** False once the connection is closed or has failed. */
    public boolean isOpen() {
        return failure == null;
    }

    /** Ends the connection: calls waiting fail with {@code transport}, and the transport underneath is closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fail(new AgentException(AgentException.TRANSPORT, "the connection to the router is closed"));
        try {
            out.close(); // the router sees the end of its input and closes this connection's sessions
        } catch (IOException e) {
            // already gone
        }
        reader.interrupt();
        if (onClose != null) {
            try {
                onClose.close();
            } catch (Exception e) {
                // nothing left to release
            }
        }
    }

    private Object call(Method op, Object[] args) throws AgentException, InterruptedException {
        throwIfFailed();
        long id = ids.incrementAndGet();
        byte[] frame;
        try {
            frame = AgentProtocol.frame(AgentProtocol.request(id, op, args));
        } catch (AgentProtocol.FrameTooLarge e) {
            throw new AgentException(
                    AgentException.BAD_REQUEST, op.getName() + ": the request is too large: " + e.getMessage());
        } catch (IllegalArgumentException e) { // an argument with no JSON encoding
            throw new AgentException(AgentException.BAD_REQUEST, op.getName() + ": " + e.getMessage());
        }
        CompletableFuture<Map<?, ?>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            throwIfFailed(); // failed between the check above and the put: nobody would complete it
            synchronized (out) {
                out.write(frame);
                out.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            throw fail(new AgentException(AgentException.TRANSPORT, "cannot send to the router: " + message(e), e));
        } catch (AgentException e) {
            pending.remove(id);
            throw e;
        }
        Map<?, ?> reply;
        try {
            reply = answer.get();
        } catch (InterruptedException e) {
            pending.remove(id);
            if (Arrays.asList(op.getExceptionTypes()).contains(InterruptedException.class)) {
                cancel(id); // a wait (a trace): stopping it changes nothing on the router
                throw e;
            }
            // anything else (a commit) is carried out whole or not at all, whoever stops waiting for it
            Thread.currentThread().interrupt();
            throw new AgentException(
                    AgentException.TRANSPORT,
                    op.getName() + ": interrupted while waiting for the router's answer; the router finishes"
                            + " the request ('show commits' says whether it committed)");
        } catch (ExecutionException e) {
            AgentException f = (AgentException) e.getCause();
            throw new AgentException(f.code(), f.getMessage(), f);
        }
        return decode(op, reply);
    }

    private static Object decode(Method op, Map<?, ?> reply) throws AgentException {
        if (Boolean.TRUE.equals(reply.get("ok"))) {
            Type type = op.getGenericReturnType();
            if (type == void.class) {
                return null;
            }
            try {
                return AgentJson.fromTree(reply.get("value"), type, "value");
            } catch (IllegalArgumentException e) {
                throw new AgentException(
                        AgentException.TRANSPORT,
                        "the router's answer to " + op.getName() + " is not what the protocol says: " + e.getMessage());
            }
        }
        Map<?, ?> error = reply.get("error") instanceof Map<?, ?> m ? m : Map.of();
        String code = error.get("code") instanceof String c && !c.isBlank() ? c : AgentException.TRANSPORT;
        String message = error.get("message") instanceof String s && !s.isBlank()
                ? s
                : "the router refused " + op.getName() + " without saying why";
        throw new AgentException(code, message);
    }

    private void cancel(long id) {
        try {
            byte[] f = AgentProtocol.frame(AgentProtocol.cancel(id));
            synchronized (out) {
                out.write(f);
                out.flush();
            }
        } catch (IOException e) {
            // the connection is failing: the reader finds out
        }
    }

    private void readAnswers() {
        try {
            while (failure == null) {
                String frame = AgentProtocol.readFrame(in);
                if (frame == null) {
                    fail(new AgentException(AgentException.TRANSPORT, "the router closed the connection"));
                    return;
                }
                Map<?, ?> reply;
                try {
                    if (!(JsonText.parseExact(frame) instanceof Map<?, ?> m)) {
                        throw new IllegalArgumentException("not a JSON object");
                    }
                    reply = m;
                } catch (IllegalArgumentException e) {
                    fail(new AgentException(
                            AgentException.TRANSPORT,
                            "the router answered something that is not the protocol: " + e.getMessage()));
                    return;
                }
                Long id = AgentProtocol.id(reply.get("id"));
                if (id == null) { // about no request of ours: the router could not read what was sent
                    Object error = reply.get("error") instanceof Map<?, ?> e ? e.get("message") : null;
                    fail(new AgentException(
                            AgentException.TRANSPORT, "the router refused this connection's input: " + error));
                    return;
                }
                CompletableFuture<Map<?, ?>> f = pending.remove(id);
                if (f != null) {
                    f.complete(reply);
                } // else: the caller stopped waiting (interrupted)
            }
        } catch (IOException e) {
            fail(new AgentException(
                    AgentException.TRANSPORT,
                    closed
                            ? "the connection to the router is closed"
                            : "the connection to the router failed: " + message(e),
                    e));
        }
    }

    /** Records the connection's failure (the first one wins) and fails every call waiting. */
    private AgentException fail(AgentException e) {
        synchronized (pending) {
            if (failure == null) {
                failure = e;
            }
        }
        for (Long id : pending.keySet()) {
            CompletableFuture<Map<?, ?>> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(failure);
            }
        }
        return failure;
    }

    private void throwIfFailed() throws AgentException {
        AgentException f = failure;
        if (f != null) {
            throw new AgentException(f.code(), f.getMessage(), f);
        }
    }

    private static String message(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
