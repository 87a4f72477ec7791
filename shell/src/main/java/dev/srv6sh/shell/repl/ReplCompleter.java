package dev.srv6sh.shell.repl;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.Behaviors;
import dev.srv6sh.grammar.parse.Completion;
import dev.srv6sh.interpreter.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: the keywords the grammar allows at the cursor, declared names where a value goes,
 * members after {@code name.} (a router's SIDs and policies, a result's fields), behavior names after
 * {@code sid NAME} and the behavior's argument keys after it (both from the behavior registry, with
 * their one line of help), meta commands after {@code :}, and
 * file paths after {@code import}, {@code save}, {@code chart}, {@code :load} and {@code :save}.
 */
final class ReplCompleter implements Completer {
    private static final Pattern PATH_IN_SCRIPT = Pattern.compile("(?:^|[\\s;{])(?:import|save|chart)\\s+\"[^\"]*$");
    private static final Pattern PATH_IN_META = Pattern.compile("^\\s*:(?:load|save)\\s+\\S*$");
    private static final Pattern SID_BEHAVIOR =
            Pattern.compile("(?:^|[\\s;{])sid\\s+\\S+\\s+(?:at\\s+\\S+\\s+)?([A-Za-z][A-Za-z0-9.]*)\\s[^\\n;]*$");
    static final List<String> META = List.of(":help", ":load", ":save", ":reset", ":backend", ":quit");

    private final java.util.function.Supplier<Session> session;

    /** {@code session} is asked for only when a completion needs declared names or members. */
    ReplCompleter(java.util.function.Supplier<Session> session) {
        this.session = session;
    }

    static boolean isPathPosition(String before) {
        return PATH_IN_SCRIPT.matcher(before).find()
                || PATH_IN_META.matcher(before).find();
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
        String buffer = line.line();
        int cursor = line.cursor();
        String before = buffer.substring(0, cursor);
        String word = line.word();
        if (isPathPosition(before)) {
            paths(word, out);
            return;
        }
        if (before.strip().startsWith(":")) {
            if (!before.contains(" ")) {
                META.forEach(m -> out.add(plain(m)));
            } else if (before.strip().startsWith(":backend")) {
                List.of("local", "netns", "aws").forEach(b -> out.add(plain(b)));
            } else if (before.strip().startsWith(":help")) {
                Help.topics().forEach(t -> out.add(plain(t)));
            }
            return;
        }
        int wordStart = cursor - word.length();
        Completion.Result r = Completion.at(buffer, wordStart);
        int dot = word.lastIndexOf('.');
        if (r.slots().contains(Completion.Slot.BEHAVIOR)) {
            Behaviors.all()
                    .forEach(
                            b -> out.add(new Candidate(b.name(), b.name(), "behavior", b.summary(), null, null, true)));
            return;
        }
        if (dot > 0) {
            String owner = word.substring(0, dot);
            if (!owner.contains(".")) {
                for (String m : session.get().members(owner)) {
                    out.add(new Candidate(owner + "." + m, m, "member", null, null, null, true));
                }
            }
            return;
        }
        r.keywords().forEach(k -> out.add(new Candidate(k, k, "keyword", null, null, null, true)));
        if (r.slots().contains(Completion.Slot.NAME)) {
            for (String n : session.get().names()) {
                if (n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    out.add(new Candidate(n, n, "name", null, null, null, true));
                }
            }
        }
        if (r.slots().contains(Completion.Slot.ARGUMENT)) {
            Matcher m = SID_BEHAVIOR.matcher(before.substring(0, wordStart));
            if (m.find()) {
                BehaviorSpec b = Behaviors.byName(m.group(1));
                for (BehaviorSpec.Param p : b == null ? List.<BehaviorSpec.Param>of() : b.params()) {
                    out.add(new Candidate(p.key(), p.key(), "argument", p.help(), null, null, true));
                }
            }
        }
        if (r.slots().contains(Completion.Slot.POLICY_MODE)) {
            List.of("encap", "encap.red", "insert", "insert.red").forEach(p -> out.add(plain(p)));
        }
    }

    private static Candidate plain(String s) {
        return new Candidate(s, s, null, null, null, null, true);
    }

    private static void paths(String word, List<Candidate> out) {
        int slash = word.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : word.substring(0, slash + 1);
        Path dir;
        try {
            dir = Path.of(dirPart.isEmpty() ? "." : dirPart);
        } catch (RuntimeException e) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.sorted().forEach(p -> {
                String name = p.getFileName().toString();
                boolean isDir = Files.isDirectory(p);
                String value = dirPart + name + (isDir ? "/" : "");
                out.add(new Candidate(value, name + (isDir ? "/" : ""), null, null, null, null, !isDir));
            });
        } catch (IOException | RuntimeException e) {
            // an unreadable directory completes to nothing
        }
    }
}
