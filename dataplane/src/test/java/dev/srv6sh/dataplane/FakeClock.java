package dev.srv6sh.dataplane;

/** Time a test sets: the engine sees exactly what the test says, so state transitions are exact. */
final class FakeClock implements Clock {
    /** An arbitrary start, far from 0 so that nothing depends on the clock's origin. */
    static final long START = 1_000_000_000_000L;

    long now = START;

    @Override
    public long nanos() {
        return now;
    }

    void advance(long nanos) {
        now += nanos;
    }

    static long ms(long ms) {
        return ms * 1_000_000L;
    }
}
