package dev.srv6sh.dataplane.agent;

/**
 * One item a commit would change: its key ({@code sid dx4}, {@code route 0 10.0.0.0/8},
 * {@code policy home}, {@code encap}), and its text before and after in the language's own syntax
 * (null before: added; null after: removed).
 */
public record Change(String item, String before, String after) {
    public String kind() {
        return before == null ? "+" : after == null ? "-" : "~";
    }
}
