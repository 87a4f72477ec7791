package dev.srv6sh.grammar.internal;

import dev.srv6sh.grammar.ast.Expr;
import dev.srv6sh.grammar.ast.Program;
import dev.srv6sh.grammar.ast.Span;
import dev.srv6sh.grammar.ast.Stmt;
import dev.srv6sh.grammar.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.UnbufferedTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The whole front end for one text: lexer, {@link NewlineFilter}, parser with {@link
 * SyntaxErrorStrategy}, then {@link AstBuilder}. The public facade in {@code parse} calls {@link
 * #run}; nothing of ANTLR is visible in what it returns.
 */
public final class FrontEnd {
    /** What one run produced; {@code incomplete} means the first error is at the end of the input. */
    public record Outcome(Program program, List<Diagnostic> diagnostics, boolean incomplete) {}

    private final String file;
    private final String text;
    private final CharStream chars;
    private final DiagnosticSink sink = new DiagnosticSink();
    private final ExprBuilder exprs;
    private final StringDecoder strings;

    private FrontEnd(String file, String text) {
        this.file = file;
        this.text = text;
        this.chars = CharStreams.fromString(text, file);
        this.strings = new StringDecoder(this, file, sink);
        this.exprs = new ExprBuilder(file, sink, strings);
    }

    /**
     * Two-stage parsing, as ANTLR recommends for speed: SLL prediction with bail-out first, which is
     * linear and enough for every correct script seen so far; only a script that SLL cannot parse is
     * parsed again with full LL prediction and the error strategy that writes the diagnostics. The
     * first stage parses and builds one statement at a time, so that at most one statement's parse
     * tree is alive: on long scripts the whole tree was the bulk of the memory and made garbage
     * collection, not parsing, the cost (docs/performance.md).
     */
    public static Outcome run(String file, String text) {
        FrontEnd front = new FrontEnd(file, text);
        // Tokens are kept only while a statement's parse needs them (an unbuffered stream), so a long
        // script's million tokens are never alive at once either.
        Srv6Parser parser = front.parser(front.chars, 0, 1, 0, Integer.MAX_VALUE, true);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        List<Stmt> statements = new ArrayList<>();
        AstBuilder builder = new AstBuilder(file, front.sink, front.exprs, front.strings);
        try {
            while (true) {
                Srv6Parser.StmtContext stmt = parser.nextStmt().stmt();
                if (stmt == null) {
                    break;
                }
                int la = parser.getTokenStream().LA(1);
                if (la != Srv6Parser.NEWLINE && la != Srv6Parser.SEMI && la != Token.EOF) {
                    throw new ParseCancellationException("statement not followed by a separator");
                }
                statements.addAll(builder.statements(List.of(stmt)));
            }
        } catch (ParseCancellationException sllFailed) {
            front = new FrontEnd(file, text);
            parser = front.parser(front.chars, 0, 1, 0, Integer.MAX_VALUE, false);
            Srv6Parser.ProgramContext tree = parser.program();
            statements = new AstBuilder(file, front.sink, front.exprs, front.strings).statements(tree.stmt());
        }
        Program program = new Program(file, List.copyOf(statements), front.wholeFile(text));
        return new Outcome(program, front.sink.diagnostics(), front.sink.firstIsAtEnd());
    }

    /**
     * The items of one router's block without the block around them ({@code sid dx4 End.DX4 nh
     * 198.51.100.2}, {@code route ... via ...}): what the router shell reads. Entries are a few lines,
     * so one full-LL pass with the error strategy is enough.
     */
    public static Outcome runRouterItems(String file, String text) {
        FrontEnd front = new FrontEnd(file, text);
        Srv6Parser parser = front.parser(front.chars, 0, 1, 0, Integer.MAX_VALUE, false);
        Srv6Parser.RouterItemsContext tree = parser.routerItems();
        List<Stmt> statements =
                new AstBuilder(file, front.sink, front.exprs, front.strings).statements(tree.routerItem());
        Program program = new Program(file, List.copyOf(statements), front.wholeFile(text));
        return new Outcome(program, front.sink.diagnostics(), front.sink.firstIsAtEnd());
    }

    /**
     * Parses the expression of a {@code ${...}} between code point offsets {@code from} and {@code
     * to} of a string token, by lexing the text again from that point: with a character stream of its
     * own, since the main lexer may still be running on the first one (statements are built as they
     * are parsed).
     */
    Expr interpolation(Token string, int from, int to) {
        int start = string.getStartIndex() + from;
        if (interpolationChars == null) {
            interpolationChars = CharStreams.fromString(text, file);
        }
        Srv6Parser parser = parser(
                interpolationChars,
                start,
                string.getLine(),
                string.getCharPositionInLine() + from,
                string.getStartIndex() + to,
                false);
        return exprs.expr(parser.exprOnly());
    }

    private CharStream interpolationChars;

    private Srv6Parser parser(CharStream chars, int start, int line, int column, int stopAt, boolean unbuffered) {
        chars.seek(start);
        Srv6Lexer lexer = new Srv6Lexer(chars);
        lexer.setLine(line);
        lexer.setCharPositionInLine(column);
        lexer.removeErrorListeners();
        lexer.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(
                    Recognizer<?, ?> r, Object symbol, int l, int c, String msg, RecognitionException e) {
                // Unreachable in practice: the STRAY rule turns any character into a token.
                sink.syntax(
                        new Span(file, l, c + 1, l, c + 1, lexer._tokenStartCharIndex, lexer._tokenStartCharIndex + 1),
                        "unexpected character",
                        false);
            }
        });
        NewlineFilter filter = new NewlineFilter(lexer, file, sink, stopAt);
        Srv6Parser parser =
                new Srv6Parser(unbuffered ? new UnbufferedTokenStream<Token>(filter) : new CommonTokenStream(filter));
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrorStrategy(file, sink, chars.size(), filter));
        return parser;
    }

    private Span wholeFile(String text) {
        int size = chars.size();
        int lines = 1;
        int lastLineStart = 0;
        int i = 0; // code points, as spans count them
        for (int k = 0; k < text.length(); k += Character.charCount(text.codePointAt(k))) {
            if (text.charAt(k) == '\n') {
                lines++;
                lastLineStart = i + 1;
            }
            i++;
        }
        return new Span(file, 1, 1, lines, Math.max(1, size - lastLineStart), 0, size);
    }
}
