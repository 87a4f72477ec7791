package dev.srv6sh.cloud.local;

import dev.srv6sh.dataplane.Clock;
import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.Engine;
import dev.srv6sh.dataplane.MemoryPort;
import dev.srv6sh.dataplane.agent.PacketTrace;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The last frames a router received, for a trace that finds fewer new packets than it asked for:
 * they are run again, traced, through a scratch engine with the router's program. The fabric hands
 * each frame over once, so keeping it copies nothing. Runs on the event loop.
 */
final class RecentFrames {
    private static final int KEPT = 64;

    private final String[] iface = new String[KEPT];
    private final byte[][] frame = new byte[KEPT][];
    private final long[] number = new long[KEPT];
    private int next;
    private long received;

    void add(String rxIface, byte[] f) {
        iface[next] = rxIface;
        frame[next] = f;
        number[next] = received++;
        next = (next + 1) % KEPT;
    }

    /** How many frames the router has received: a trace armed now replays only those before it. */
    long received() {
        return received;
    }

    /**
     * The last {@code n} frames received before frame number {@code before} (those after it were
     * traced live), run again through a scratch engine named {@code router} with {@code program}.
     */
    List<PacketTrace> replay(int n, long before, String router, DataplaneConfig program) throws ConfigException {
        List<Integer> slots = new ArrayList<>();
        for (int k = 1; k <= KEPT && slots.size() < n; k++) {
            int i = Math.floorMod(next - k, KEPT);
            if (frame[i] != null && number[i] < before) {
                slots.addFirst(i);
            }
        }
        if (slots.isEmpty()) {
            return List.of();
        }
        try (Engine scratch = new Engine(router, Clock.SYSTEM, MemoryPort.FACTORY)) {
            scratch.apply(program);
            scratch.trace(slots.size());
            for (int i : slots) {
                scratch.port(iface[i], MemoryPort.class).inject(frame[i]);
                scratch.poll();
            }
            return scratch.traces();
        }
    }
}
