package dev.srv6sh.shell.repl;

import dev.srv6sh.grammar.diag.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code :help [TOPIC]}: a worked example for every statement, operation and behavior (help.txt). */
final class Help {
    /** One topic: what it is, and an example. */
    record Topic(String name, String summary, String example) {}

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
        t.example().lines().forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
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
                if (name != null) {
                    out.put(name, new Topic(name, summary, String.join("\n", body)));
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
