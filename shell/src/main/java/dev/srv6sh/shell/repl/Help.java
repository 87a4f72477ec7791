package dev.srv6sh.shell.repl;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.Behaviors;
import dev.srv6sh.grammar.diag.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code :help [TOPIC]}: a worked example for every statement and operation (help.txt), and for every
 * behavior, made from its spec in the data plane's registry ({@link Behaviors}): what it does, where
 * it is defined, an example and each parameter it takes.
 */
final class Help {
    /** The topic that lists the behaviors; each behavior's own topic follows it. */
    static final String BEHAVIORS = "behaviors";

    /** One topic: what it is, an example that parses (none for the lists), and lines shown after it. */
    record Topic(String name, String summary, String example, List<String> notes) {
        Topic {
            notes = List.copyOf(notes);
        }
    }

    private static Map<String, Topic> topics;

    private Help() {}

    static synchronized Map<String, Topic> all() {
        if (topics == null) {
            topics = load();
        }
        return topics;
    }

    static List<String> topics() {
        return List.copyOf(all().keySet());
    }

    /** The text {@code :help TOPIC} prints (TOPIC null: the index). */
    static String text(String topic) {
        if (topic == null || topic.isBlank()) {
            StringBuilder sb =
                    new StringBuilder("Type an entry and Enter; an unfinished one continues on the next line.\n"
                            + "Tab completes, Ctrl-R searches the history, Ctrl-C cancels, Ctrl-D leaves.\n"
                            + ":help TOPIC shows an example. Topics:\n");
            int col = 0;
            for (String name : all().keySet()) {
                String cell = String.format("  %-18s", name);
                if (col + cell.length() > 80) {
                    sb.append('\n');
                    col = 0;
                }
                sb.append(cell);
                col += cell.length();
            }
            return sb.append('\n').toString();
        }
        Topic t = all().get(topic.strip());
        if (t == null) {
            String hint = String.join("", Names.suggest(topic.strip(), all().keySet()));
            return "no help on '" + topic.strip() + "'" + (hint.isEmpty() ? "" : "; " + hint)
                    + " (:help lists the topics)\n";
        }
        StringBuilder sb =
                new StringBuilder(t.name()).append(": ").append(t.summary()).append('\n');
        if (t.example() != null) {
            t.example().lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        }
        t.notes().forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }

    /** A behavior's topic: what it does and where it is defined, an example, then its parameters. */
    static Topic topic(BehaviorSpec b) {
        List<String> notes = new ArrayList<>();
        int width = b.params().stream().mapToInt(p -> p.key().length()).max().orElse(0);
        for (BehaviorSpec.Param p : b.params()) {
            notes.add(String.format(
                    "%-" + width + "s  %-8s  %s", p.key(), p.required() ? "needed" : "optional", p.help()));
        }
        if (!b.aliases().isEmpty()) {
            notes.add("also written " + String.join(", ", b.aliases()));
        }
        return new Topic(b.name(), b.summary() + " (" + b.reference() + ")", b.example() + " on pr", notes);
    }

    /** The list of behaviors, one line each. */
    private static Topic list(String summary) {
        int width = Behaviors.names().stream().mapToInt(String::length).max().orElse(0);
        List<String> lines = Behaviors.all().stream()
                .map(b -> String.format("%-" + width + "s  %s (%s)", b.name(), b.summary(), b.reference()))
                .toList();
        return new Topic(BEHAVIORS, summary, null, lines);
    }

    private static Map<String, Topic> load() {
        String text;
        try (InputStream in = Help.class.getResourceAsStream("help.txt")) {
            text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "";
        }
        Map<String, Topic> out = new LinkedHashMap<>();
        String name = null;
        String summary = null;
        List<String> body = new ArrayList<>();
        for (String line : (text + "\n== end:").lines().toList()) {
            if (line.startsWith("== ")) {
                if (BEHAVIORS.equals(name)) {
                    out.put(name, list(summary));
                    Behaviors.all().forEach(b -> out.put(b.name(), topic(b)));
                } else if (name != null) {
                    out.put(name, new Topic(name, summary, String.join("\n", body), List.of()));
                }
                int colon = line.indexOf(':');
                name = line.substring(3, colon).strip();
                summary = line.substring(colon + 1).strip();
                body = new ArrayList<>();
            } else if (name != null) {
                body.add(line.startsWith("# ") && name.equals("repl") ? line.substring(2) : line);
            }
        }
        return out;
    }
}
