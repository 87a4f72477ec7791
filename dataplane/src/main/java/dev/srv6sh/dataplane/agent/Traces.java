package dev.srv6sh.dataplane.agent;

import java.util.List;

/** What a trace saw: packets traced live, then replayed ones. */
public record Traces(List<PacketTrace> live, List<PacketTrace> replayed) {
    public Traces {
        live = List.copyOf(live);
        replayed = List.copyOf(replayed);
    }
}
