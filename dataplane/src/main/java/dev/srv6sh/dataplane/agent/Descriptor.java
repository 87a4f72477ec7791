package dev.srv6sh.dataplane.agent;

import java.util.List;

/**
 * What a router is: its name, the srv6sh version it runs, its interfaces, and the behaviors its data
 * plane supports with their parameters (what the router shell completes and checks against).
 */
public record Descriptor(String router, String version, List<String> interfaces, List<BehaviorInfo> behaviors) {
    public Descriptor {
        interfaces = List.copyOf(interfaces);
        behaviors = List.copyOf(behaviors);
    }

    /** One behavior: its RFC name, other names, reference, help line, an example, and its parameters. */
    public record BehaviorInfo(
            String name, List<String> aliases, String reference, String summary, String example, List<Param> params) {
        public BehaviorInfo {
            aliases = List.copyOf(aliases);
            params = List.copyOf(params);
        }
    }

    /** A parameter: its key as scripts write it, its kind in words, whether it is required, its help. */
    public record Param(String key, String kind, boolean required, String help) {}
}
