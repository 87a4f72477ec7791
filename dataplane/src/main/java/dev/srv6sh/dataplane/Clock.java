package dev.srv6sh.dataplane;

/**
 * Where the data plane reads the time: nanoseconds on a monotonic clock, as {@link System#nanoTime}.
 * Everything that depends on time (ICMP rate limits, neighbor aging and retransmits) reads the clock
 * its {@link Engine} was given, so a test or an emulation in virtual time decides what time it is.
 * Called on the engine's thread, at most a few times per vector: keep it cheap and allocation-free.
 */
@FunctionalInterface
public interface Clock {
    /** The real monotonic clock. */
    Clock SYSTEM = System::nanoTime;

    long nanos();
}
