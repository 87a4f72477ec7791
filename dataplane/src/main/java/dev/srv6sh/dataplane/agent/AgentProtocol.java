package dev.srv6sh.dataplane.agent;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The router agent's management protocol, as the SSH subsystem {@code srv6sh-agent} carries it (and
 * any other pair of byte streams: the tests use pipes). NETCONF-style: the client sends requests, the
 * router answers each one, in any order, matched by id.
 *
 * <p><b>Framing.</b> A frame is a 4-byte big-endian length and that many bytes of UTF-8 JSON, one
 * object. A frame longer than {@link #MAX_FRAME} is refused: the server answers with a {@code
 * bad-request} error and closes, since a length that large is a peer that does not speak the
 * protocol, not a request worth reading 16 MiB of.
 *
 * <p><b>Messages.</b> A request is {@code {"id":N,"op":"commit","args":[...]}}: {@code op} a method
 * of {@link RouterAgent}, {@code args} its arguments in order, each in {@link AgentJson}'s encoding of
 * the parameter's declared type. The answer is {@code {"id":N,"ok":true,"value":...}} (the return
 * value as the method's declared return type, null for void) or {@code
 * {"id":N,"ok":false,"error":{"code":"conflict","message":"..."}}} with the {@link AgentException}'s
 * code and message. A request the server cannot read at all gets an error with a null id. {@code
 * {"cancel":N}} asks the router to interrupt request N (a {@code trace} the caller stopped waiting
 * for); it gets no answer of its own.
 *
 * <p>The server is {@link #serve}; the client is {@link #connect}, a {@link RouterAgent} whose calls
 * are requests over the streams.
 */
public final class AgentProtocol {
    private AgentProtocol() {}

    /** The subsystem name the SSH transport opens. */
    public static final String SUBSYSTEM = "srv6sh-agent";

    /** The largest frame either side sends or accepts: 16 MiB (a capture read, base64, fits well). */
    public static final int MAX_FRAME = 16 << 20;

    /** The agent's operations by name: every method of {@link RouterAgent}. */
    static final Map<String, Method> OPERATIONS = operations();

    private static Map<String, Method> operations() {
        Map<String, Method> ops = new TreeMap<>();
        for (Method m : RouterAgent.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && ops.put(m.getName(), m) != null) {
                // a name is an operation: an overload would need the arity on the wire
                throw new ExceptionInInitializerError("RouterAgent." + m.getName() + " is overloaded");
            }
        }
        return Collections.unmodifiableMap(ops);
    }

    /** The operations the protocol carries, by name (the methods of {@link RouterAgent}). */
    public static List<String> operationNames() {
        return List.copyOf(OPERATIONS.keySet());
    }

    /**
     * Answers requests from {@code in} on {@code out} with {@code agent} until {@code in} ends, then
     * waits for the requests still running, and closes the sessions this connection opened and did
     * not close (a candidate belongs to its connection). Each request runs on a virtual thread of its
     * own, so a long {@code trace} does not hold up a {@code counters}. Nothing a client sends makes it
     * throw: a bad request gets an error answer. Returns when the input ends or the output fails;
     * interrupting the calling thread interrupts the requests still running.
     */
    public static void serve(RouterAgent agent, InputStream in, OutputStream out) throws IOException {
        new ProtocolServer(agent, in, out).run();
    }

    /**
     * A client over {@code in} (the router's answers) and {@code out} (requests). {@code onClose}
     * (may be null) releases the transport underneath (the SSH channel and session) when the
     * connection is closed.
     */
    public static AgentConnection connect(InputStream in, OutputStream out, AutoCloseable onClose) {
        return new AgentConnection(in, out, onClose);
    }

    // ---- frames

    /** A frame's length is more than {@link #MAX_FRAME} (or negative): the stream is not the protocol. */
    static final class FrameTooLarge extends IOException {
        FrameTooLarge(long length) {
            super("a frame of " + length + " bytes is more than the protocol's limit of " + MAX_FRAME + " bytes");
        }
    }

    /** A frame's bytes are not UTF-8 (the framing is intact: the next frame can be read). */
    static final class NotUtf8 extends IOException {
        NotUtf8() {
            super("the frame is not UTF-8 text");
        }
    }

    /**
     * The next frame's text, or null at the end of the input (between frames). Throws {@link
     * EOFException} when the input ends inside a frame, {@link FrameTooLarge}, or {@link NotUtf8}.
     */
    static String readFrame(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        byte[] rest = in.readNBytes(3);
        if (rest.length < 3) {
            throw new EOFException("the input ended inside a frame's length");
        }
        long length = ((long) b0 << 24) | ((rest[0] & 0xffL) << 16) | ((rest[1] & 0xffL) << 8) | (rest[2] & 0xffL);
        if (length > MAX_FRAME) {
            throw new FrameTooLarge(length);
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new EOFException("the input ended inside a frame (" + body.length + " of " + length + " bytes)");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new NotUtf8();
        }
    }

    /** The frame of {@code json}; throws {@link FrameTooLarge} rather than make one the peer refuses. */
    static byte[] frame(String json) throws FrameTooLarge {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        if (body.length > MAX_FRAME) {
            throw new FrameTooLarge(body.length);
        }
        byte[] f = new byte[4 + body.length];
        ByteBuffer.wrap(f).putInt(body.length).put(body);
        return f;
    }

    // ---- messages

    /** A message's id: a whole number, or null when it has none (or not one that fits a long). */
    static Long id(Object value) {
        if (value instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    static String request(long id, Method op, Object[] args) {
        StringBuilder sb = new StringBuilder(64)
                .append("{\"id\":")
                .append(id)
                .append(",\"op\":")
                .append(JsonText.string(op.getName()))
                .append(",\"args\":[");
        Type[] types = op.getGenericParameterTypes();
        for (int k = 0; k < types.length; k++) {
            if (k > 0) {
                sb.append(',');
            }
            sb.append(AgentJson.write(args[k], types[k]));
        }
        return sb.append("]}").toString();
    }

    static String okReply(Long id, String valueJson) {
        return "{\"id\":" + id + ",\"ok\":true,\"value\":" + valueJson + "}";
    }

    static String errorReply(Long id, String code, String message) {
        return "{\"id\":" + id + ",\"ok\":false,\"error\":{\"code\":" + JsonText.string(code) + ",\"message\":"
                + JsonText.string(message == null ? "" : message) + "}}";
    }

    static String cancel(long id) {
        return "{\"cancel\":" + id + "}";
    }
}
