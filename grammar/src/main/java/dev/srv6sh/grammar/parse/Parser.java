package dev.srv6sh.grammar.parse;

import dev.srv6sh.grammar.ast.Program;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.diag.Names;
import dev.srv6sh.grammar.internal.Brackets;
import dev.srv6sh.grammar.internal.FrontEnd;
import java.util.List;

/** The entry point of the grammar module: text in, AST and diagnostics out. Never throws. */
public final class Parser {
    private Parser() {}

    /** Words that begin a statement: a misspelt one is the likeliest cause of a syntax error on its line. */
    static final List<String> STATEMENT_WORDS = List.of(
            "region",
            "rtt",
            "vpc",
            "host",
            "router",
            "locator",
            "encap",
            "instance",
            "image",
            "ssh",
            "interface",
            "route",
            "neighbor",
            "sid",
            "policy",
            "steer",
            "param",
            "let",
            "for",
            "if",
            "else",
            "fn",
            "return",
            "import",
            "plan",
            "apply",
            "destroy",
            "show",
            "trace",
            "capture",
            "expect",
            "print",
            "save",
            "chart",
            "ping",
            "measure");

    public static ParseResult parse(String file, String text) {
        String t = text == null ? "" : text;
        FrontEnd.Outcome outcome = run(file == null ? "<input>" : file, t);
        return new ParseResult(outcome.program(), withKeywordHints(outcome.diagnostics(), t));
    }

    /**
     * Adds {@code did you mean 'router'?} to a syntax error whose line starts with a word that is not a
     * keyword but is one letter or two away from a statement keyword ({@code routr pr in pv}).
     */
    private static List<Diagnostic> withKeywordHints(List<Diagnostic> diagnostics, String text) {
        if (diagnostics.isEmpty()) {
            return diagnostics;
        }
        List<String> lines = text.lines().toList();
        return diagnostics.stream()
                .map(d -> {
                    int line = d.span().line();
                    if (!d.notes().isEmpty() || line < 1 || line > lines.size()) {
                        return d;
                    }
                    String first = lines.get(line - 1).strip().split("[^A-Za-z_]", 2)[0];
                    if (first.isEmpty() || STATEMENT_WORDS.contains(first)) {
                        return d;
                    }
                    String[] hint = Names.suggest(first, STATEMENT_WORDS);
                    return hint.length == 0 ? d : new Diagnostic(d.severity(), d.span(), d.message(), List.of(hint));
                })
                .toList();
    }

    /**
     * For the REPL: false when the text stops in the middle of something, so the shell should read
     * another line; true when it is complete or has an error the user must see now.
     *
     * <p>An open brace, bracket or parenthesis keeps the entry open whatever its lines hold so far: a
     * block is an error at every line but its last, and the parser's recovery inside it may report a
     * problem before the end of the input. A closing bracket that closes nothing, or another kind, is
     * an error now. With the brackets balanced, the entry goes on when the parser's first problem is
     * at the end of the input (a trailing operator, {@code ->} or {@code ,}, an unterminated string).
     */
    public static boolean isComplete(String text) {
        String t = text == null ? "" : text;
        return switch (Brackets.of(t)) {
            case OPEN -> false;
            case MISMATCHED -> true;
            case BALANCED -> !run("<input>", t).incomplete();
        };
    }

    /**
     * The items of one router's block, written without the block around them, as the router shell
     * reads them: {@code sid}, {@code policy}, {@code steer}, {@code route}, {@code neighbor}, {@code
     * interface}, {@code encap} and the other router settings. Positions are those of {@code text}.
     */
    public static ParseResult parseRouterItems(String file, String text) {
        String t = text == null ? "" : text;
        FrontEnd.Outcome outcome = run(file == null ? "<input>" : file, t, true);
        return new ParseResult(outcome.program(), outcome.diagnostics());
    }

    /** {@link #isComplete} for router items ({@link #parseRouterItems}): a weighted policy's block spans lines. */
    public static boolean isCompleteRouterItems(String text) {
        String t = text == null ? "" : text;
        return switch (Brackets.of(t)) {
            case OPEN -> false;
            case MISMATCHED -> true;
            case BALANCED -> !run("<input>", t, true).incomplete();
        };
    }

    private static FrontEnd.Outcome run(String file, String text) {
        return run(file, text, false);
    }

    private static FrontEnd.Outcome run(String file, String text, boolean routerItems) {
        try {
            return routerItems ? FrontEnd.runRouterItems(file, text) : FrontEnd.run(file, text);
        } catch (StackOverflowError deep) {
            return failed(file, "this is nested too deeply to parse");
        } catch (RuntimeException bug) {
            // A parser bug must not take the shell down; the user gets a diagnostic instead.
            return failed(file, "internal parser error: " + bug);
        }
    }

    private static FrontEnd.Outcome failed(String file, String message) {
        Span start = new Span(file, 1, 1, 1, 1, 0, 0);
        Diagnostic d = Diagnostic.error(start, message);
        return new FrontEnd.Outcome(new Program(file, List.of(), start), List.of(d), false);
    }
}
