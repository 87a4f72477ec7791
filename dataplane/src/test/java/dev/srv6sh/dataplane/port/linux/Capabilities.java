package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code as a process without the network capabilities would: on a thread of its own whose
 * effective set has lost {@code CAP_NET_ADMIN} and {@code CAP_NET_RAW} ({@code capset(2)}; Linux keeps
 * capabilities per thread, so the rest of the JVM keeps them). A test running as root can so meet
 * the permission errors an unprivileged router daemon meets.
 */
public final class Capabilities {
    private Capabilities() {}

    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;
    /** {@code _LINUX_CAPABILITY_VERSION_3}: two 32-bit words per set. */
    private static final int VERSION_3 = 0x20080522;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle CAPGET = handle("capget");
    private static final MethodHandle CAPSET = handle("capset");

    @SuppressWarnings("restricted")
    private static MethodHandle handle(String name) {
        return LINKER.downcallHandle(
                LINKER.defaultLookup().find(name).orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    /** {@code body}'s result, computed on a thread without CAP_NET_ADMIN and CAP_NET_RAW. */
    public static <T> T withoutNetworkCapabilities(Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("no-net-caps").start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment header = arena.allocate(8, 4);
                header.set(JAVA_INT, 0, VERSION_3);
                header.set(JAVA_INT, 4, 0); // this thread
                MemorySegment data = arena.allocate(24, 4); // two of {effective, permitted, inheritable}
                if ((int) CAPGET.invokeExact(header, data) != 0) {
                    throw new IllegalStateException("capget failed");
                }
                int effective = data.get(JAVA_INT, 0);
                data.set(JAVA_INT, 0, effective & ~((1 << CAP_NET_ADMIN) | (1 << CAP_NET_RAW)));
                if ((int) CAPSET.invokeExact(header, data) != 0) {
                    throw new IllegalStateException("capset failed");
                }
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception x) {
            throw x;
        }
        if (e instanceof Error x) {
            throw x;
        }
        return result.get();
    }
}
