package dev.srv6sh.interpreter.render;

import dev.srv6sh.dataplane.agent.JsonText;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.interpreter.Result;
import java.util.List;

/**
 * The last line of {@code srv6sh run --output json}, whatever the outcome: the exit code, how many
 * {@code expect}s failed and the errors that ended the run, so automation that reads only stdout
 * learns why a run failed (docs/output.md):
 *
 * <pre>{"op":"exit","code":3,"failed_expects":0,"errors":[{"kind":"runtime","message":"...",
 *   "file":"q.srv6","line":6,"column":9,"notes":[]}]}</pre>
 */
final class ExitLine {
    private ExitLine() {}

    /** The line for a run that exited with {@code x.code()}; {@code x.errors()} (of {@code x.kind()}) ended it. */
    static String of(Result.Exit x) {
        int code = x.code();
        int failedExpects = x.failedExpects();
        List<Diagnostic> errors = x.errors();
        StringBuilder sb = new StringBuilder("{\"op\":\"exit\",\"code\":")
                .append(code)
                .append(",\"failed_expects\":")
                .append(failedExpects)
                .append(",\"errors\":[");
        for (int i = 0; i < errors.size(); i++) {
            Diagnostic d = errors.get(i);
            boolean located = d.span().line() > 0; // a command-line problem (--param) has no line
            sb.append(i == 0 ? "{" : ",{")
                    .append("\"kind\":")
                    .append(JsonText.string(x.kind().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(",\"message\":")
                    .append(JsonText.string(d.message()))
                    .append(",\"file\":")
                    .append(JsonText.string(d.span().file()))
                    .append(",\"line\":")
                    .append(located ? d.span().line() : "null")
                    .append(",\"column\":")
                    .append(located ? d.span().column() : "null")
                    .append(",\"notes\":[");
            for (int n = 0; n < d.notes().size(); n++) {
                sb.append(n == 0 ? "" : ",")
                        .append(JsonText.string(d.notes().get(n).strip()));
            }
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }
}
