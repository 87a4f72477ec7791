package dev.srv6sh.grammar.parse;

import dev.srv6sh.grammar.internal.Lexing;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the grammar allows at a position, for the REPL's completion: the keywords that fit there and
 * the kinds of name it expects. The grammar knows where a behavior or a name may stand; which names
 * exist is the session's business.
 *
 * <pre>
 * Completion.at("sid dx4 ", 8)            → slots [BEHAVIOR]
 * Completion.at("router pr in pv {\n  ", 20) → keywords [interface, locator, neighbor, ...]
 * Completion.at("let r = ", 8)            → slots [NAME], keywords [false, measure, ping, true, ...]
 * </pre>
 */
public final class Completion {
    private Completion() {}

    public enum Slot {
        /** A value: a declared resource, a let, a param, a function. */
        NAME,
        /** A member after a dot. */
        MEMBER,
        /** A SID behavior such as {@code End.DX4}. */
        BEHAVIOR,
        /** A policy mode such as {@code encap}. */
        POLICY_MODE,
        /** An argument key of the SID's behavior ({@code nh}). */
        ARGUMENT
    }

    /** The keywords (sorted) and the slots a word starting at the position may fill. */
    public record Result(List<String> keywords, Set<Slot> slots) {
        public Result {
            keywords = List.copyOf(keywords);
            slots = slots.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(slots));
        }
    }

    /**
     * The candidates for a word that starts at char {@code offset} of {@code text}; the text after
     * the offset is ignored. Never throws: a problem yields no candidates.
     */
    public static Result at(String text, int offset) {
        String t = text == null ? "" : text;
        int at = Math.max(0, Math.min(offset, t.length()));
        try {
            Lexing.Candidates c = Lexing.candidatesAt(t, t.codePointCount(0, at));
            Set<Slot> slots = EnumSet.noneOf(Slot.class);
            c.slots().forEach(s -> slots.add(Slot.valueOf(s.name())));
            return new Result(c.keywords(), slots);
        } catch (RuntimeException | StackOverflowError bug) {
            return new Result(List.of(), Set.of());
        }
    }
}
