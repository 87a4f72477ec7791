package dev.srv6sh.interpreter;

import dev.srv6sh.dataplane.agent.AgentException;
import dev.srv6sh.dataplane.agent.CaptureSummary;
import dev.srv6sh.dataplane.agent.Change;
import dev.srv6sh.dataplane.agent.CommitInfo;
import dev.srv6sh.dataplane.agent.CommitResult;
import dev.srv6sh.dataplane.agent.ConfigText;
import dev.srv6sh.dataplane.agent.Descriptor;
import dev.srv6sh.dataplane.agent.RouterAgent;
import dev.srv6sh.dataplane.agent.Traces;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.grammar.diag.DiagnosticRenderer;
import dev.srv6sh.grammar.diag.Names;
import dev.srv6sh.grammar.parse.ParseResult;
import dev.srv6sh.grammar.parse.Parser;
import dev.srv6sh.interpreter.Result.Traced;
import dev.srv6sh.interpreter.Result.View;
import dev.srv6sh.interpreter.ShellText.Segment;
import dev.srv6sh.interpreter.ShellText.Word;
import dev.srv6sh.interpreter.eval.Dim;
import dev.srv6sh.interpreter.eval.RouterEdit;
import dev.srv6sh.interpreter.eval.ScriptError;
import dev.srv6sh.interpreter.render.TextRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The router shell: one router's command language over its {@link RouterAgent}, for the router
 * daemon's SSH server (a PTY session and {@code ssh host 'show sids'}) and for tests. One shell is
 * one agent session, opened when the shell is made and closed by {@link #close}.
 *
 * <p>An entry is one or more statements (a newline or {@code ;} ends one, as in the language):
 *
 * <ul>
 *   <li>Edits of the session's candidate, exactly the items of a router block: {@code sid}, {@code
 *       policy}, {@code steer}, {@code route}, {@code neighbor}, {@code interface}, {@code encap}. The
 *       grammar reads them and the interpreter checks and lowers them ({@link RouterEdit}); an item
 *       replaces the one with its key. Removals, IOS-XR style: {@code no sid NAME}, {@code no policy
 *       NAME}, {@code no steer PREFIX}, {@code no route PREFIX [table N]}, {@code no neighbor
 *       ADDRESS}.
 *   <li>Commands: {@code show running|candidate|diff|commits|sids|policies|steering|interfaces|fib|
 *       neighbors|counters|runtime|errors}, {@code trace [N]}, {@code capture IFACE|all for D},
 *       {@code commit [confirmed D] [comment "..."]}, {@code confirm}, {@code rollback N [comment
 *       "..."]}, {@code discard}, {@code help [TOPIC]}, {@code exit}.
 * </ul>
 *
 * Statements run in order; the first that fails ends the entry. The exit code is the CLI's: 0 done,
 * 1 the command failed (a refused commit, a conflict, no such SID, the router unreachable), 2 the
 * entry is not understood (a syntax or check error, shown as the language shows it, with a caret).
 * {@code show sids|policies|steering|interfaces} show the running configuration, {@code show
 * candidate} and {@code show diff} the session's. {@code capture} writes {@code
 * ROUTER-IFACE-TIME.pcap} into the shell's capture directory and reports the frames.
 */
public final class RouterShell implements AutoCloseable {
    public static final int OK = ExitCode.OK;
    /** The command was understood but failed: a refused commit, a conflict, no such SID. */
    public static final int FAILED = 1;
    /** The entry is not understood: a syntax or check error, an unknown command, a bad argument. */
    public static final int USAGE = ExitCode.SCRIPT_ERROR;

    /** What an entry printed, its exit code, and whether it asked to end the session ({@code exit}). */
    public record Result(String out, String err, int exitCode, boolean exit) {}

    /** A completion: the word, what kind of thing it is ({@code command}, {@code behavior}, ...), a line of help or null. */
    public record Suggestion(String value, String group, String help) {}

    /** Waits in the management plane's time: {@code Thread::sleep}, or a test's clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * What a shell needs beyond its agent. {@code locator}: the router's locator, where {@code sid}
     * and {@code policy} without an address are placed (null: unknown, and they need {@code at} and
     * {@code bsid}); {@code captureDir}: where {@code capture} writes its files (null: {@code
     * ~/srv6sh-captures} of the user the router runs as, since the shell's users are SSH keys, not
     * accounts; the files are named by router, interface and time, so sessions never overwrite each
     * other's); {@code traceWait}:
     * how long {@code trace} waits for new packets; {@code sleeper}: how {@code capture} waits.
     */
    public record Options(Prefix locator, Path captureDir, Duration traceWait, Sleeper sleeper) {
        public Options {
            captureDir = captureDir == null ? Path.of(System.getProperty("user.home"), "srv6sh-captures") : captureDir;
            traceWait = traceWait == null ? Duration.ofSeconds(1) : traceWait;
            sleeper = sleeper == null ? Thread::sleep : sleeper;
        }

        public static Options of(Prefix locator) {
            return new Options(locator, null, null, null);
        }
    }

    static final List<String> COMMANDS = List.of(
            "show", "trace", "capture", "commit", "confirm", "rollback", "discard", "help", "exit", "quit", "no");
    static final List<String> EDITS =
            List.of("sid", "policy", "steer", "route", "neighbor", "interface", "encap", "sr-domain", "locator");
    static final List<String> VIEWS = List.of(
            "running",
            "candidate",
            "diff",
            "commits",
            "sids",
            "policies",
            "steering",
            "interfaces",
            "fib",
            "neighbors",
            "counters",
            "runtime",
            "errors");
    static final List<String> REMOVABLE = List.of("sid", "policy", "steer", "route", "neighbor");
    private static final int MAX_TRACE = 1000;
    private static final int CAPTURE_CHUNK = 64 * 1024;
    private static final Duration CAPTURE_POLL = Duration.ofMillis(100);
    private static final Duration MAX_CAPTURE = Duration.ofHours(1);
    private static final Duration MAX_CONFIRM = Duration.ofDays(1);

    private final RouterAgent agent;
    private final String user;
    private final Options options;
    private final Descriptor descriptor;
    private final RouterEdit edits;
    private String session;
    private int entries;
    private boolean edited;
    private volatile Thread running;
    /** The candidate as of the last entry, for completion (which must not wait on the router). */
    private volatile DataplaneConfig candidateCache;

    /**
     * Opens a session on {@code agent} for {@code user}. Throws when the router cannot be reached or
     * refuses: there is no shell without a session.
     */
    public RouterShell(RouterAgent agent, String user, Options options) throws AgentException {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.user = Objects.requireNonNull(user, "user");
        this.options = options == null ? Options.of(null) : options;
        this.descriptor = agent.describe();
        this.edits = new RouterEdit(descriptor.router(), this.options.locator());
        this.session = agent.openSession(user);
    }

    /** The router's name, from its descriptor. */
    public String router() {
        return descriptor.router();
    }

    /** The prompt: the router's name, a {@code *} while the candidate holds changes not committed. */
    public String prompt() {
        return descriptor.router() + (edited ? "*" : "") + "# ";
    }

    /** Whether {@code text} is a whole entry, or stops inside a block or after {@code ->} or {@code ,}. */
    public boolean isComplete(String text) {
        List<Segment> segments = ShellText.segments(text == null ? "" : text);
        if (segments.isEmpty()) {
            return true;
        }
        if (segments.stream().allMatch(s -> COMMANDS.contains(s.first()))) {
            return true;
        }
        return Parser.isCompleteRouterItems(ShellText.only(
                text,
                segments.stream().filter(s -> !COMMANDS.contains(s.first())).toList()));
    }

    /**
     * Ctrl-C: interrupts the entry running now (a {@code trace} or {@code capture} waiting), which
     * then reports that it was interrupted; the session goes on. Safe from any thread.
     */
    public void cancel() {
        Thread t = running;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Runs one entry. Never throws: whatever goes wrong is in the result's error text and exit code. */
    public Result execute(String text) {
        String file = "<" + (++entries) + ">";
        String t = text == null ? "" : text;
        Output o = new Output(file, t);
        running = Thread.currentThread();
        try {
            List<Segment> segments = ShellText.segments(t);
            int i = 0;
            while (i < segments.size() && o.code == OK && !o.exit) {
                Segment s = segments.get(i);
                if (COMMANDS.contains(s.first())) {
                    command(s, o);
                    i++;
                    continue;
                }
                List<Segment> group = new ArrayList<>();
                while (i < segments.size() && !COMMANDS.contains(segments.get(i).first())) {
                    group.add(segments.get(i++));
                }
                edit(group, o);
            }
        } catch (AgentException e) {
            agentFailure(e, o);
        } catch (InterruptedException e) {
            o.fail(FAILED, "interrupted");
        } catch (RuntimeException e) {
            o.fail(FAILED, "internal error: " + e + " (please report it with what you typed)");
        } finally {
            running = null;
            Thread.interrupted(); // a Ctrl-C that came late must not hit the next entry
        }
        return o.result();
    }

    /** Ends the session: its candidate's changes that were not committed are discarded. */
    @Override
    public void close() {
        try {
            agent.closeSession(session);
        } catch (AgentException e) {
            // the router is gone, and with it the session
        }
    }

    // ---- edits ----------------------------------------------------------------------------------

    private void edit(List<Segment> group, Output o) throws AgentException {
        Segment first = group.getFirst();
        if (!EDITS.contains(first.first())) {
            List<String> words = new ArrayList<>(COMMANDS);
            words.addAll(EDITS);
            o.usage(
                    first.start(),
                    first.start() + first.first().length(),
                    "unknown command '" + first.first() + "'; 'help' lists the commands",
                    Names.suggest(first.first(), words));
            return;
        }
        String source = ShellText.only(o.text, group);
        ParseResult parsed = Parser.parseRouterItems(o.file, source);
        if (!parsed.ok()) {
            parsed.diagnostics().forEach(o::diagnostic);
            o.code = USAGE;
            return;
        }
        DataplaneConfig candidate = agent.candidate(session).config();
        RouterEdit.Result r;
        try {
            r = edits.apply(candidate, parsed.program(), source);
        } catch (ScriptError e) {
            o.diagnostic(e.diagnostic());
            o.code = USAGE;
            return;
        }
        r.notes().forEach(o::err);
        store(r.config());
    }

    private void store(DataplaneConfig config) throws AgentException {
        candidateCache = agent.edit(session, config).config();
        edited = true;
    }

    private void remove(List<Word> w, Output o) throws AgentException {
        if (w.size() < 2) {
            o.usage(w.getFirst(), "'no' takes what to remove: " + String.join(", ", REMOVABLE));
            return;
        }
        String kind = w.get(1).text();
        if (!REMOVABLE.contains(kind)) {
            o.usage(
                    w.get(1),
                    "cannot remove '" + kind + "'; 'no' takes " + String.join(", ", REMOVABLE),
                    Names.suggest(kind, REMOVABLE));
            return;
        }
        boolean tabled = kind.equals("route") || kind.equals("steer");
        int want = tabled ? (w.size() > 3 ? 5 : 3) : 3;
        if (w.size() != want || tabled && w.size() == 5 && !w.get(3).text().equals("table")) {
            String syntax =
                    switch (kind) {
                        case "sid", "policy" -> "no " + kind + " NAME";
                        case "steer" -> "no steer PREFIX [table N]";
                        case "route" -> "no route PREFIX [table N]";
                        default -> "no neighbor ADDRESS";
                    };
            o.usage(w.get(Math.min(w.size() - 1, want - 1)), "expected '" + syntax + "'");
            return;
        }
        Word key = w.get(2);
        DataplaneConfig c = agent.candidate(session).config();
        DataplaneConfig next;
        switch (kind) {
            case "sid" -> {
                next = RouterEdit.withoutSid(c, key.text());
                if (next == null) {
                    o.fail(
                            FAILED,
                            o.located(
                                    key,
                                    "router " + router() + " has no SID '" + key.text() + "'",
                                    Names.suggest(
                                            key.text(),
                                            c.sids().stream()
                                                    .map(DataplaneConfig.Sid::name)
                                                    .toList())));
                    return;
                }
            }
            case "policy" -> {
                next = RouterEdit.withoutPolicy(c, key.text());
                if (next == null) {
                    o.fail(
                            FAILED,
                            o.located(
                                    key,
                                    "router " + router() + " has no policy '" + key.text() + "'",
                                    Names.suggest(
                                            key.text(),
                                            c.policies().stream()
                                                    .map(DataplaneConfig.Policy::name)
                                                    .toList())));
                    return;
                }
            }
            case "steer", "route" -> {
                Prefix p = prefix(key, o);
                if (p == null) {
                    return;
                }
                Integer table = w.size() == 5
                        ? number(w.get(4), 0, Integer.MAX_VALUE, "a table is a whole number", o)
                        : Integer.valueOf(0);
                if (table == null) {
                    return;
                }
                boolean steer = kind.equals("steer");
                next = steer ? RouterEdit.withoutSteer(c, p, table) : RouterEdit.withoutRoute(c, p, table);
                if (next == null) {
                    String what = steer ? " steers nothing at " : " has no route to ";
                    o.fail(FAILED, o.located(key, "router " + router() + what + p + " in table " + table));
                    return;
                }
            }
            default -> {
                InetAddress a;
                try {
                    a = Addresses.parse(key.text());
                } catch (IllegalArgumentException e) {
                    o.usage(key, "expected an address, not '" + key.text() + "'");
                    return;
                }
                next = RouterEdit.withoutNeighbor(c, a);
                if (next == null) {
                    o.fail(FAILED, o.located(key, "router " + router() + " has no static neighbor " + key.text()));
                    return;
                }
            }
        }
        store(next);
    }

    private static Prefix prefix(Word w, Output o) {
        try {
            return Prefix.parse(w.text()).network();
        } catch (IllegalArgumentException e) {
            o.usage(w, "expected a prefix such as 203.0.113.0/24, not '" + w.text() + "'");
            return null;
        }
    }

    // ---- commands -------------------------------------------------------------------------------

    private void command(Segment s, Output o) throws AgentException, InterruptedException {
        List<Word> w = ShellText.words(o.text, s.start(), s.end());
        for (Word x : w) {
            if (x.quoted() && x.text() == null) {
                o.usage(x, "this string has no closing quote");
                return;
            }
        }
        switch (s.first()) {
            case "show" -> show(w, o);
            case "trace" -> trace(w, o);
            case "capture" -> capture(w, o);
            case "commit" -> commit(w, o);
            case "confirm" -> {
                if (noArguments(w, o)) {
                    CommitResult r = agent.confirm(session);
                    o.out("commit " + r.id() + " confirmed: " + r.summary());
                }
            }
            case "rollback" -> rollback(w, o);
            case "discard" -> {
                if (noArguments(w, o)) {
                    int n = agent.diff(session).size();
                    agent.discard(session);
                    candidateCache = null;
                    edited = false;
                    o.out(n == 0 ? "nothing to discard" : "discarded " + n + " change(s)");
                }
            }
            case "help" -> help(w, o);
            case "exit", "quit" -> {
                if (noArguments(w, o)) {
                    int n = agent.diff(session).size();
                    if (n > 0) {
                        o.err("leaving " + n + " uncommitted change(s), which are discarded");
                    }
                    o.exit = true;
                }
            }
            default -> remove(w, o);
        }
    }

    private static boolean noArguments(List<Word> w, Output o) {
        if (w.size() > 1) {
            o.usage(w.get(1), "'" + w.getFirst().text() + "' takes nothing after it");
            return false;
        }
        return true;
    }

    private void show(List<Word> w, Output o) throws AgentException {
        if (w.size() < 2) {
            o.usage(w.getFirst(), "show what? " + String.join(", ", VIEWS));
            return;
        }
        String what = w.get(1).text();
        if (!VIEWS.contains(what)) {
            o.usage(
                    w.get(1),
                    "cannot show '" + what + "'; show takes " + String.join(", ", VIEWS),
                    Names.suggest(what, VIEWS));
            return;
        }
        if (w.size() > 2) {
            o.usage(w.get(2), "'show " + what + "' takes nothing after it (this shell is router " + router() + "'s)");
            return;
        }
        switch (what) {
            case "running" -> o.print(ConfigText.render(agent.running().config()));
            case "candidate" -> {
                DataplaneConfig c = agent.candidate(session).config();
                candidateCache = c;
                o.print(ConfigText.render(c));
            }
            case "diff" -> o.print(diff(agent.diff(session)));
            case "commits" -> o.print(commits(agent.commits()));
            // the router's tables: the records a script's show gives, rendered by the same code
            case "interfaces" ->
                o.print(TextRenderer.table(new View.Interfaces(agent.running().config())));
            case "fib" -> o.print(orNone(TextRenderer.table(new View.Fib(agent.fib())), "no routes"));
            case "neighbors" -> o.print(TextRenderer.table(new View.Neighbors(agent.neighbors())));
            case "counters", "runtime", "errors" ->
                o.print(TextRenderer.table(new View.Counters(what, agent.counters())));
            default ->
                o.print(orNone(
                        TextRenderer.table(
                                new View.Program(what, agent.running().config())),
                        "no " + what));
        }
    }

    private static String orNone(String table, String none) {
        return table.isEmpty() ? none + "\n" : table;
    }

    /** {@code show diff}: one line per item, {@code +} added, {@code -} removed, {@code ~} changed (with what it was). */
    static String diff(List<Change> changes) {
        if (changes.isEmpty()) {
            return "no changes\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            String kind = c.kind();
            String text = kind.equals("-") ? c.before() : c.after();
            sb.append(kind)
                    .append(' ')
                    .append(text.strip().replace("\n", "\n  "))
                    .append('\n');
            if (kind.equals("~")) {
                sb.append("    was: ")
                        .append(c.before().strip().replace("\n", "\n    "))
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    /** {@code show commits}: newest first, with who, when, what, and the comment. */
    static String commits(List<CommitInfo> history) {
        if (history.isEmpty()) {
            return "no commits\n";
        }
        StringBuilder sb = new StringBuilder(
                String.format("%5s  %-12s %-20s %-11s %s%n", "id", "user", "time", "status", "summary"));
        for (CommitInfo c : history) {
            sb.append(String.format(
                    "%5d  %-12s %-20s %-11s %s%s%s%n",
                    c.id(),
                    c.user(),
                    time(c.time()),
                    c.status(),
                    c.summary(),
                    c.comment() == null || c.comment().isEmpty() ? "" : "  \"" + c.comment() + "\"",
                    c.confirmBy() != null && CommitInfo.PENDING.equals(c.status())
                            ? "  (confirm by " + time(c.confirmBy()) + ")"
                            : ""));
        }
        return sb.toString();
    }

    private static String time(Instant t) {
        return t == null ? "-" : TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private void trace(List<Word> w, Output o) throws AgentException, InterruptedException {
        int count = 1;
        if (w.size() > 2) {
            o.usage(w.get(2), "expected 'trace [N]'");
            return;
        }
        if (w.size() == 2) {
            Integer n = number(w.get(1), 1, MAX_TRACE, "trace counts 1 to " + MAX_TRACE + " packets", o);
            if (n == null) {
                return;
            }
            count = n;
        }
        Traces t = agent.trace(count, options.traceWait());
        o.print(TextRenderer.text(new Traced(router(), t, options.traceWait())));
    }

    private void capture(List<Word> w, Output o) throws AgentException, InterruptedException {
        // capture IFACE for D | capture for D | capture all for D
        int at = w.size() > 1 && !w.get(1).text().equals("for") ? 2 : 1;
        if (w.size() != at + 2 || !w.get(at).text().equals("for")) {
            o.usage(
                    w.get(Math.min(w.size() - 1, at)),
                    "expected 'capture IFACE for DURATION' (IFACE 'all' for every interface)");
            return;
        }
        String iface = at == 2 ? w.get(1).text() : "all";
        if (!iface.equals("all") && !descriptor.interfaces().contains(iface)) {
            o.usage(
                    w.get(1),
                    "router " + router() + " has no interface '" + iface + "'; it has "
                            + String.join(", ", descriptor.interfaces()),
                    Names.suggest(iface, descriptor.interfaces()));
            return;
        }
        Duration d = Dim.duration(w.get(at + 1).text());
        if (d == null || d.isZero() || d.compareTo(MAX_CAPTURE) > 0) {
            o.usage(w.get(at + 1), "capture ... for takes a duration such as 5s (at most 1h)");
            return;
        }
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        String name = router() + "-" + iface + "-" + stamp;
        Path file = options.captureDir().resolve(name + ".pcap");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            for (int n = 2; ; n++) { // two captures in one second: the second is -2, never a file overwritten
                try {
                    Files.createFile(file);
                    break;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    file = options.captureDir().resolve(name + "-" + n + ".pcap");
                }
            }
        } catch (IOException e) {
            o.fail(FAILED, "cannot write " + file + ": " + e.getMessage());
            return;
        }
        String id = agent.captureStart(iface.equals("all") ? null : iface);
        CaptureSummary summary = null;
        long bytes = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            try {
                for (Duration waited = Duration.ZERO; waited.compareTo(d) < 0; ) {
                    Duration step = d.minus(waited).compareTo(CAPTURE_POLL) < 0 ? d.minus(waited) : CAPTURE_POLL;
                    options.sleeper().sleep(step);
                    waited = waited.plus(step);
                    bytes += drain(id, out);
                }
            } finally {
                // also when interrupted: the router stops copying, and what it holds is written out
                summary = agent.captureStop(id);
                bytes += drain(id, out);
            }
        } catch (IOException e) {
            if (summary == null) {
                agent.captureStop(id);
            }
            o.fail(FAILED, "cannot write " + file + ": " + e.getMessage());
            return;
        }
        o.out("captured " + summary.frames() + " frame(s) on " + iface + " in " + d.toMillis() + " ms to " + file
                + " (" + bytes + " bytes"
                + (summary.dropped() > 0 ? ", " + summary.dropped() + " frame(s) lost: the reader fell behind" : "")
                + ")");
    }

    private long drain(String capture, OutputStream out) throws AgentException, IOException {
        long n = 0;
        for (byte[] chunk = agent.captureRead(capture, CAPTURE_CHUNK);
                chunk.length > 0;
                chunk = agent.captureRead(capture, CAPTURE_CHUNK)) {
            out.write(chunk);
            n += chunk.length;
        }
        return n;
    }

    private void commit(List<Word> w, Output o) throws AgentException {
        Duration confirm = null;
        String comment = null;
        for (int i = 1; i < w.size(); i += 2) {
            Word key = w.get(i);
            if (!key.text().equals("confirmed") && !key.text().equals("comment") || key.quoted()) {
                o.usage(
                        key,
                        "expected 'commit [confirmed DURATION] [comment \"...\"]'",
                        Names.suggest(key.text(), List.of("confirmed", "comment")));
                return;
            }
            if (i + 1 >= w.size()) {
                o.usage(
                        key,
                        "'" + key.text() + "' needs "
                                + (key.text().equals("comment") ? "a string" : "a duration such as 30s"));
                return;
            }
            Word value = w.get(i + 1);
            if (key.text().equals("confirmed")) {
                confirm = Dim.duration(value.text());
                if (value.quoted() || confirm == null || confirm.isZero() || confirm.compareTo(MAX_CONFIRM) > 0) {
                    o.usage(value, "'confirmed' takes a duration such as 30s or 5m (at most a day)");
                    return;
                }
            } else {
                if (!value.quoted()) {
                    o.usage(value, "a comment is a string in quotes: comment \"...\"");
                    return;
                }
                comment = value.text();
            }
        }
        CommitResult r = agent.commit(session, comment, confirm);
        edited = false;
        o.out("commit " + r.id() + " (generation " + r.generation() + "): " + r.summary()
                + (r.confirmBy() == null
                        ? ""
                        : "\nconfirm before " + time(r.confirmBy()) + " or it is rolled back by itself"));
    }

    private void rollback(List<Word> w, Output o) throws AgentException {
        if (w.size() != 2
                && !(w.size() == 4
                        && w.get(2).text().equals("comment")
                        && w.get(3).quoted())) {
            o.usage(
                    w.get(Math.min(w.size() - 1, 2)),
                    "expected 'rollback N [comment \"...\"]' (1: undo the last commit)");
            return;
        }
        Integer n = number(w.get(1), 1, 1_000_000, "rollback takes how many commits back, 1 or more", o);
        if (n == null) {
            return;
        }
        CommitResult r = agent.rollback(session, n, w.size() == 4 ? w.get(3).text() : null);
        edited = false;
        candidateCache = null;
        o.out("commit " + r.id() + " (generation " + r.generation() + "): " + r.summary());
    }

    private static Integer number(Word w, int min, int max, String what, Output o) {
        try {
            int n = Integer.parseInt(w.text());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        o.usage(w, what + ", not '" + w.text() + "'");
        return null;
    }

    private void help(List<Word> w, Output o) {
        if (w.size() == 1) {
            o.print(ShellHelp.overview(router()));
            return;
        }
        String topic = w.get(1).text();
        String text = ShellHelp.topic(topic, descriptor);
        if (text == null) {
            List<String> topics = new ArrayList<>(ShellHelp.topics());
            descriptor.behaviors().forEach(b -> topics.add(b.name()));
            o.usage(w.get(1), "no help on '" + topic + "'", Names.suggest(topic, topics));
            return;
        }
        o.print(text);
    }

    private void agentFailure(AgentException e, Output o) {
        if (AgentException.NO_SESSION.equals(e.code())) {
            try {
                session = agent.openSession(user);
                edited = false;
                candidateCache = null;
                o.fail(
                        FAILED,
                        "the session had ended (" + e.getMessage() + "), and its changes with it; a new one is open");
                return;
            } catch (AgentException again) {
                o.fail(FAILED, again.getMessage());
                return;
            }
        }
        o.fail(FAILED, e.getMessage());
    }

    // ---- completion -----------------------------------------------------------------------------

    /**
     * What may be typed at {@code cursor} of {@code line}: command words, views, behaviors and their
     * parameters (from the router's descriptor), this router's SIDs, policies and interfaces. Each
     * starts with the word being typed. Never throws and never waits long: names come from the
     * candidate as of the last entry.
     */
    public List<Suggestion> complete(String line, int cursor) {
        try {
            return new ShellCompleter(descriptor, this::cachedCandidate).complete(line, cursor);
        } catch (RuntimeException e) {
            return List.of(); // completion is a nicety: a bug leaves the line as it is
        }
    }

    private DataplaneConfig cachedCandidate() {
        DataplaneConfig c = candidateCache;
        if (c == null) {
            try {
                c = agent.candidate(session).config();
                candidateCache = c;
            } catch (AgentException e) {
                return null;
            }
        }
        return c;
    }

    // ---- what an entry prints -------------------------------------------------------------------

    /** An entry's output and error text and its exit code, and how to point at a word of it. */
    private static final class Output {
        final String file;
        final String text;
        final StringBuilder out = new StringBuilder();
        final StringBuilder err = new StringBuilder();
        int code = OK;
        boolean exit;

        Output(String file, String text) {
            this.file = file;
            this.text = text;
        }

        void print(String s) {
            out.append(s);
            if (!s.isEmpty() && !s.endsWith("\n")) {
                out.append('\n');
            }
        }

        void out(String line) {
            out.append(line).append('\n');
        }

        void err(String line) {
            err.append(line).append('\n');
        }

        void fail(int exitCode, String message) {
            err.append(message.startsWith("error: ") ? message : "error: " + message)
                    .append('\n');
            code = exitCode;
        }

        /** A problem at a word, rendered as the language renders one: the line, a caret, notes. */
        String located(Word w, String message, String... notes) {
            return render(Diagnostic.error(ShellText.span(file, text, w.start(), w.end()), message, notes));
        }

        void usage(Word w, String message, String... notes) {
            usage(w.start(), w.end(), message, notes);
        }

        void usage(int start, int end, String message, String... notes) {
            diagnostic(Diagnostic.error(ShellText.span(file, text, start, end), message, notes));
            code = USAGE;
        }

        void diagnostic(Diagnostic d) {
            err.append(render(d)).append('\n');
        }

        /** As the REPL shows a problem in the entry just typed: without {@code <n>:1:5:}, since the line is shown. */
        private String render(Diagnostic d) {
            String r = DiagnosticRenderer.render(d, text).stripTrailing();
            String prefix = d.span() + ": ";
            return r.startsWith(prefix) ? r.substring(prefix.length()) : r;
        }

        Result result() {
            return new Result(out.toString(), err.toString(), code, exit);
        }
    }

    /** For {@link ShellCompleter}: names of a configuration's items by kind. */
    static List<String> names(DataplaneConfig c, String kind) {
        if (c == null) {
            return List.of();
        }
        Function<DataplaneConfig, List<String>> f =
                switch (kind) {
                    case "sid" ->
                        x -> x.sids().stream().map(DataplaneConfig.Sid::name).toList();
                    case "policy" ->
                        x -> x.policies().stream()
                                .map(DataplaneConfig.Policy::name)
                                .toList();
                    case "steer" ->
                        x -> x.steering().stream()
                                .filter(s -> s.prefix() != null)
                                .map(s -> s.prefix().toString())
                                .toList();
                    case "route" ->
                        x -> x.routes().stream()
                                .map(r -> r.prefix().toString())
                                .distinct()
                                .toList();
                    case "neighbor" ->
                        x -> x.neighbors().stream()
                                .map(n -> Addresses.format(n.address()))
                                .toList();
                    case "interface" ->
                        x -> x.interfaces().stream()
                                .map(DataplaneConfig.Interface::name)
                                .toList();
                    default -> x -> List.of();
                };
        return f.apply(c);
    }
}
