package dev.srv6sh.cloud;

import java.util.List;

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
