package dev.srv6sh.cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The changes that would turn the observed state into the desired one, in Terraform's vocabulary. */
public record Plan(CloudSpec desired, List<Change> changes) {

    public Plan {
        changes = List.copyOf(changes);
    }

    public enum Action {
        CREATE("+"),
        UPDATE("~"),
        REPLACE("-/+"),
        DELETE("-");

        private final String symbol;

        Action(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** One resource change: kind is region, vpc, host or router. */
    public record Change(Action action, String kind, String name, String detail) {
        @Override
        public String toString() {
            return action.symbol() + " " + kind + " " + name + (detail.isEmpty() ? "" : "  (" + detail + ")");
        }
    }

    /**
     * The plan from {@code now} to {@code desired}, resource by resource: a name only in desired is
     * created, one only in now deleted, and one whose settings differ replaced (no backend can change
     * a region, VPC, host or router in place yet). Changed emulated RTTs update the links.
     */
    public static Plan between(CloudSpec now, CloudSpec desired) {
        List<Change> changes = new ArrayList<>();
        diff(changes, "region", now.regions(), desired.regions(), CloudSpec.Region::name);
        diff(changes, "vpc", now.vpcs(), desired.vpcs(), CloudSpec.Vpc::name);
        diff(changes, "host", now.hosts(), desired.hosts(), CloudSpec.Host::name);
        diff(changes, "router", now.routers(), desired.routers(), CloudSpec.Router::name);
        if (!now.rtts().equals(desired.rtts())) {
            changes.add(new Change(
                    desired.rtts().isEmpty() ? Action.DELETE : now.rtts().isEmpty() ? Action.CREATE : Action.UPDATE,
                    "links",
                    "rtt",
                    "emulated round-trip times"));
        }
        return new Plan(desired, changes);
    }

    private static <T> void diff(List<Change> out, String kind, List<T> now, List<T> want, Function<T, String> name) {
        Map<String, T> before = new LinkedHashMap<>();
        now.forEach(t -> before.put(name.apply(t), t));
        for (T t : want) {
            T old = before.remove(name.apply(t));
            if (old == null) {
                out.add(new Change(Action.CREATE, kind, name.apply(t), ""));
            } else if (!old.equals(t)) {
                out.add(new Change(Action.REPLACE, kind, name.apply(t), "settings changed"));
            }
        }
        before.keySet().forEach(n -> out.add(new Change(Action.DELETE, kind, n, "")));
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public long count(Action a) {
        return changes.stream().filter(c -> c.action() == a).count();
    }

    /** {@code Plan: 2 to add, 0 to change, 0 to destroy.} */
    public String summary() {
        return "Plan: " + count(Action.CREATE) + " to add, " + (count(Action.UPDATE) + count(Action.REPLACE))
                + " to change, " + count(Action.DELETE) + " to destroy.";
    }
}
