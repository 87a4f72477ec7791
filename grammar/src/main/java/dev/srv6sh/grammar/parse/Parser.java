package dev.srv6sh.grammar.parse;

import dev.srv6sh.grammar.ast.Program;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.internal.FrontEnd;
import java.util.List;

/** The entry point of the grammar module: text in, AST and diagnostics out. Never throws. */
public final class Parser {
    private Parser() {}

    public static ParseResult parse(String file, String text) {
        FrontEnd.Outcome outcome = run(file == null ? "<input>" : file, text == null ? "" : text);
        return new ParseResult(outcome.program(), outcome.diagnostics());
    }

    /**
     * For the REPL: false when the text stops in the middle of something (an open brace, bracket or
     * parenthesis, a trailing operator, {@code ->} or {@code ,}, an unterminated string), so the
     * shell should read another line; true when it is complete or has an error the user must see.
     */
    public static boolean isComplete(String text) {
        return !run("<input>", text == null ? "" : text).incomplete();
    }

    private static FrontEnd.Outcome run(String file, String text) {
        try {
            return FrontEnd.run(file, text);
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
