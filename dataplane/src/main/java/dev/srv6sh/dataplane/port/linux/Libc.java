package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few C library calls the Linux ports make, through FFM ({@code java.lang.foreign}: no JNI, no
 * Unsafe). The calls a port makes while it opens capture their {@code errno} as they return ({@link
 * Linker.Option#captureCallState}) into this object's own state segment, so {@link #errno} reads the
 * error of this object's last such call whatever the JVM did in between; one {@code Libc} belongs to
 * one owner (a port) and is used from one thread at a time.
 *
 * <p>Each function's downcall handle is made the first time it is called, once, in a holder class of
 * its own: a process that never opens a TAP device never links {@code read}. The handles are
 * constants, so the JIT compiles a call to a direct native call.
 *
 * <p>The calls made per burst ({@link #read}, {@link #readv}, {@link #write}, {@link #sendto}, {@link
 * #recv}, {@link #poll}, {@link #syscallHot} for {@code io_uring_enter}, and {@link #getsockopt} for a
 * ring's drop count) say only -1 when they fail
 * and leave {@link #errno} alone: a port does the same whatever the error (a frame not read, or not
 * sent), and a call that captures its errno costs a small allocation each time it runs in code the
 * JIT's first tier compiled, where a call site reached once per burst can stay for a long while.
 * They take their pointers as {@code long} addresses: a pointer argument is a 64-bit integer in the
 * LP64 calling conventions FFM supports on Linux (x86-64 and AArch64), and an address into the
 * engine's memory costs nothing, where a slice of its segment would be an object per call. The
 * others, made while a port opens, take segments.
 */
@SuppressWarnings("restricted") // FFM's downcalls: the point of this class
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO = STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    private final MemorySegment state;

    /** A caller's own binding, its errno kept in {@code arena} (the port's, closed with it). */
    public Libc(Arena arena) {
        this.state = arena.allocate(STATE);
    }

    /** The errno of this object's last call that failed (left as it was by one that succeeded). */
    public int errno() {
        return state.get(JAVA_INT, ERRNO);
    }

    /** {@link #errno} as an {@link Errno}: for error messages, never on a hot path. */
    public Errno error() {
        return new Errno(errno());
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup()
                .find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name));
    }

    /** A handle that captures errno: its first parameter is the state segment. */
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol(name), descriptor, all);
    }

    /** A handle for a call made per burst: errno not captured. */
    private static MethodHandle hot(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    private static IllegalStateException failed(String name, Throwable t) {
        return new IllegalStateException("native call " + name + " failed: " + t, t);
    }

    // one holder per function: the handle is made on first use

    private static final class Socket {
        static final MethodHandle H = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Bind {
        static final MethodHandle H = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class SetSockOpt {
        static final MethodHandle H = downcall(
                "setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class GetSockOpt {
        static final MethodHandle H =
                hot("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class Mmap {
        static final MethodHandle H = downcall(
                "mmap",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class Munmap {
        static final MethodHandle H = downcall("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class Poll {
        static final MethodHandle H = hot("poll", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    private static final class Ioctl {
        // int ioctl(int fd, unsigned long request, ...): the third argument is variadic
        static final MethodHandle H = downcall(
                "ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class IfNameToIndex {
        static final MethodHandle H = downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    private static final class SendTo {
        static final MethodHandle H = hot(
                "sendto",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Recv {
        static final MethodHandle H =
                hot("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    private static final class Read {
        static final MethodHandle H = hot("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class ReadV {
        static final MethodHandle H = hot("readv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Write {
        static final MethodHandle H = hot("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private static final class EventFd {
        static final MethodHandle H = downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Close {
        static final MethodHandle H = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Open {
        // int open(const char *path, int flags, ...): the mode is variadic
        static final MethodHandle H = downcall(
                "open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class GetTid {
        static final MethodHandle H = downcall("gettid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class SetPriority {
        static final MethodHandle H =
                downcall("setpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class SchedSetScheduler {
        static final MethodHandle H =
                downcall("sched_setscheduler", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    private static final class SchedSetAffinity {
        static final MethodHandle H =
                downcall("sched_setaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    }

    private static final class SetNs {
        static final MethodHandle H = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Syscall {
        // long syscall(long number, ...): every argument after the number is variadic, passed as a long
        static final MethodHandle H = downcall(
                "syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }

    private static final class SyscallHot {
        // io_uring_enter(2), per burst: six arguments after the number, errno not captured
        static final MethodHandle H = LINKER.downcallHandle(
                symbol("syscall"),
                FunctionDescriptor.of(
                        JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }

    private static final class GetSockOptOpening {
        static final MethodHandle H =
                downcall("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class StrError {
        static final MethodHandle H = LINKER.downcallHandle(
                LINKER.defaultLookup().find("strerror").orElseThrow(),
                FunctionDescriptor.of(
                        ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), JAVA_INT));
    }

    /** {@code socket(2)}: a descriptor, or -1. */
    public int socket(int domain, int type, int protocol) {
        try {
            return (int) Socket.H.invokeExact(state, domain, type, protocol);
        } catch (Throwable t) {
            throw failed("socket", t);
        }
    }

    /** {@code bind(2)}: 0, or -1. */
    public int bind(int fd, MemorySegment address, int length) {
        try {
            return (int) Bind.H.invokeExact(state, fd, address, length);
        } catch (Throwable t) {
            throw failed("bind", t);
        }
    }

    /** {@code setsockopt(2)}: 0, or -1. */
    public int setsockopt(int fd, int level, int name, MemorySegment value, int length) {
        try {
            return (int) SetSockOpt.H.invokeExact(state, fd, level, name, value, length);
        } catch (Throwable t) {
            throw failed("setsockopt", t);
        }
    }

    /** {@code setsockopt(2)} of an int option, its value in {@code scratch} (4 bytes or more). */
    public int setsockopt(int fd, int level, int name, int value, MemorySegment scratch) {
        scratch.set(JAVA_INT, 0, value);
        return setsockopt(fd, level, name, scratch, 4);
    }

    /** {@code getsockopt(2)}: 0, or -1; {@code length} holds the value's room in, its size out. */
    public int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            return (int) GetSockOpt.H.invokeExact(fd, level, name, value, length);
        } catch (Throwable t) {
            throw failed("getsockopt", t);
        }
    }

    /** {@code mmap(2)} at an address of the kernel's choosing: the address, or -1 ({@code MAP_FAILED}). */
    public long mmap(long length, int protection, int flags, int fd, long offset) {
        try {
            return (long) Mmap.H.invokeExact(state, 0L, length, protection, flags, fd, offset);
        } catch (Throwable t) {
            throw failed("mmap", t);
        }
    }

    /** {@code munmap(2)}: 0, or -1. */
    public int munmap(long address, long length) {
        try {
            return (int) Munmap.H.invokeExact(state, address, length);
        } catch (Throwable t) {
            throw failed("munmap", t);
        }
    }

    /** {@code poll(2)} on {@code count} {@code struct pollfd} at {@code fds}: how many are ready, 0, or -1. */
    public int poll(long fds, long count, int timeoutMillis) {
        try {
            return (int) Poll.H.invokeExact(fds, count, timeoutMillis);
        } catch (Throwable t) {
            throw failed("poll", t);
        }
    }

    /** {@code ioctl(2)} with a pointer argument: usually 0, or -1. */
    public int ioctl(int fd, long request, MemorySegment argument) {
        try {
            return (int) Ioctl.H.invokeExact(state, fd, request, argument);
        } catch (Throwable t) {
            throw failed("ioctl", t);
        }
    }

    /** {@code if_nametoindex(3)} in the calling thread's network namespace: the index, or 0. */
    public int ifNameToIndex(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (int) IfNameToIndex.H.invokeExact(state, a.allocateFrom(name));
        } catch (Throwable t) {
            throw failed("if_nametoindex", t);
        }
    }

    /** {@code sendto(2)}: bytes sent, or -1. Addresses are raw (0 for NULL). */
    public long sendto(int fd, long buffer, long length, int flags, long address, int addressLength) {
        try {
            return (long) SendTo.H.invokeExact(fd, buffer, length, flags, address, addressLength);
        } catch (Throwable t) {
            throw failed("sendto", t);
        }
    }

    /** {@code recv(2)}: bytes received (a datagram's whole length with {@code MSG_TRUNC}), or -1. */
    public long recv(int fd, long buffer, long length, int flags) {
        try {
            return (long) Recv.H.invokeExact(fd, buffer, length, flags);
        } catch (Throwable t) {
            throw failed("recv", t);
        }
    }

    /** {@code read(2)}: bytes read, or -1. */
    public long read(int fd, long buffer, long length) {
        try {
            return (long) Read.H.invokeExact(fd, buffer, length);
        } catch (Throwable t) {
            throw failed("read", t);
        }
    }

    /** {@code readv(2)} into {@code count} {@code struct iovec} at {@code iov}: bytes read, or -1. */
    public long readv(int fd, long iov, int count) {
        try {
            return (long) ReadV.H.invokeExact(fd, iov, count);
        } catch (Throwable t) {
            throw failed("readv", t);
        }
    }

    /** {@code write(2)}: bytes written, or -1. */
    public long write(int fd, long buffer, long length) {
        try {
            return (long) Write.H.invokeExact(fd, buffer, length);
        } catch (Throwable t) {
            throw failed("write", t);
        }
    }

    /** {@code eventfd(2)}: a descriptor, or -1. */
    public int eventfd(int initial, int flags) {
        try {
            return (int) EventFd.H.invokeExact(state, initial, flags);
        } catch (Throwable t) {
            throw failed("eventfd", t);
        }
    }

    /** {@code close(2)}: 0, or -1. */
    public int close(int fd) {
        try {
            return (int) Close.H.invokeExact(state, fd);
        } catch (Throwable t) {
            throw failed("close", t);
        }
    }

    /** {@code open(2)} of an existing file: a descriptor, or -1. */
    public int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            return (int) Open.H.invokeExact(state, a.allocateFrom(path), flags, 0);
        } catch (Throwable t) {
            throw failed("open", t);
        }
    }

    /** {@code gettid(2)}: the calling thread's id. */
    public int gettid() {
        try {
            return (int) GetTid.H.invokeExact(state);
        } catch (Throwable t) {
            throw failed("gettid", t);
        }
    }

    /** {@code setpriority(2)}: on Linux, {@code which} 0 and a thread id set that thread's nice value. */
    public int setpriority(int which, int who, int prio) {
        try {
            return (int) SetPriority.H.invokeExact(state, which, who, prio);
        } catch (Throwable t) {
            throw failed("setpriority", t);
        }
    }

    /**
     * {@code sched_setscheduler(2)}: on Linux, a thread id sets that thread's scheduling policy and
     * static priority ({@code struct sched_param} is one int); 0, or -1.
     */
    public int schedSetScheduler(int tid, int policy, int priority) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment param = a.allocate(JAVA_INT);
            param.set(JAVA_INT, 0, priority);
            return (int) SchedSetScheduler.H.invokeExact(state, tid, policy, param);
        } catch (Throwable t) {
            throw failed("sched_setscheduler", t);
        }
    }

    /**
     * {@code sched_setaffinity(2)}: on Linux, a thread id (0: the calling thread) may run only on the
     * CPUs set in {@code mask} ({@code length} bytes of {@code cpu_set_t}); 0, or -1.
     */
    public int schedSetAffinity(int tid, MemorySegment mask, long length) {
        try {
            return (int) SchedSetAffinity.H.invokeExact(state, tid, length, mask);
        } catch (Throwable t) {
            throw failed("sched_setaffinity", t);
        }
    }

    /**
     * {@code setns(2)}: moves the calling thread (only it: namespaces are per thread in Linux) into the
     * namespace {@code fd} refers to; 0, or -1. A socket keeps the network namespace it was made in.
     */
    public int setns(int fd, int type) {
        try {
            return (int) SetNs.H.invokeExact(state, fd, type);
        } catch (Throwable t) {
            throw failed("setns", t);
        }
    }

    /**
     * {@code syscall(2)} with three arguments ({@code bpf(2)}, which the C library does not wrap): the
     * call's result, or -1 with {@link #errno} set.
     */
    public long syscall(long number, long a, long b, long c) {
        try {
            return (long) Syscall.H.invokeExact(state, number, a, b, c);
        } catch (Throwable t) {
            throw failed("syscall", t);
        }
    }

    /**
     * {@code syscall(2)} with six arguments, made per burst ({@code io_uring_enter(2)}, which the C
     * library does not wrap): the call's result, or -1 ({@link #errno} left alone).
     */
    public long syscallHot(long number, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) SyscallHot.H.invokeExact(number, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw failed("syscall", t);
        }
    }

    /** {@code getsockopt(2)} while a port opens: as {@link #getsockopt}, with {@link #errno} set when it fails. */
    public int getsockoptOpening(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            return (int) GetSockOptOpening.H.invokeExact(state, fd, level, name, value, length);
        } catch (Throwable t) {
            throw failed("getsockopt", t);
        }
    }

    /** {@code strerror(3)}: the C library's text for {@code errno} ("No such device"). */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) StrError.H.invokeExact(errno);
            return text.getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
