package dev.srv6sh.interpreter;

import dev.srv6sh.dataplane.BehaviorSpec;
import dev.srv6sh.dataplane.Behaviors;
import dev.srv6sh.dataplane.agent.Descriptor;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.interpreter.RouterShell.Suggestion;
import dev.srv6sh.interpreter.ShellText.Segment;
import dev.srv6sh.interpreter.ShellText.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The router shell's completion, by position in the statement being typed: command and edit words
 * first, then what each takes. Behaviors and their parameters come from the router's {@link
 * Descriptor} (what that router's data plane supports, whatever this build knows), names from its
 * candidate configuration.
 */
final class ShellCompleter {
    private static final List<String> MODES =
            List.of("encap", "encap.red", "insert", "insert.red", "encap.l2", "encap.l2.red");

    private final Descriptor descriptor;
    private final Supplier<DataplaneConfig> candidate;

    ShellCompleter(Descriptor descriptor, Supplier<DataplaneConfig> candidate) {
        this.descriptor = descriptor;
        this.candidate = candidate;
    }

    List<Suggestion> complete(String line, int cursor) {
        String before = line.substring(0, Math.max(0, Math.min(cursor, line.length())));
        List<Segment> segments = ShellText.segments(before);
        int start = segments.isEmpty() ? 0 : segments.getLast().start();
        if (!segments.isEmpty() && endsStatement(before, segments.getLast())) {
            start = before.length();
        }
        List<Word> words = ShellText.words(before, start, before.length());
        boolean fresh = before.isEmpty()
                || Character.isWhitespace(before.charAt(before.length() - 1))
                || before.endsWith(";")
                || before.endsWith("{");
        String prefix = fresh || words.isEmpty() ? "" : words.getLast().text();
        List<String> done = words.stream()
                .limit(fresh ? words.size() : words.size() - 1)
                .map(w -> w.text() == null ? "" : w.text())
                .toList();
        List<Suggestion> out = new ArrayList<>();
        candidates(done, out);
        return out.stream()
                .filter(s -> s.value().startsWith(prefix == null ? "" : prefix))
                .distinct()
                .toList();
    }

    /** Whether the text after the last statement's end is blank: the cursor starts a new one. */
    private static boolean endsStatement(String before, Segment last) {
        return last.end() < before.length() && before.substring(last.end()).isBlank();
    }

    private void candidates(List<String> w, List<Suggestion> out) {
        int n = w.size();
        if (n == 0) {
            RouterShell.COMMANDS.forEach(c -> out.add(new Suggestion(c, "command", null)));
            RouterShell.EDITS.stream()
                    .filter(e -> !e.equals("locator"))
                    .forEach(e -> out.add(new Suggestion(e, "edit", null)));
            return;
        }
        DataplaneConfig c;
        switch (w.getFirst()) {
            case "show" -> {
                if (n == 1) {
                    RouterShell.VIEWS.forEach(v -> out.add(new Suggestion(v, "view", null)));
                }
            }
            case "no" -> {
                if (n == 1) {
                    RouterShell.REMOVABLE.forEach(v -> out.add(new Suggestion(v, "edit", null)));
                } else if (n == 2) {
                    names(w.get(1), out);
                } else if (n == 3 && w.get(1).equals("route")) {
                    out.add(new Suggestion("table", "keyword", null));
                }
            }
            case "help" -> {
                if (n == 1) {
                    ShellHelp.topics().forEach(t -> out.add(new Suggestion(t, "command", null)));
                    behaviors(out);
                }
            }
            case "commit" -> {
                for (String k : List.of("confirmed", "comment")) {
                    if (!w.contains(k) && (n == 1 || n == 3)) {
                        out.add(new Suggestion(k, "keyword", null));
                    }
                }
            }
            case "capture" -> {
                if (n == 1) {
                    descriptor.interfaces().forEach(i -> out.add(new Suggestion(i, "interface", null)));
                    out.add(new Suggestion("all", "interface", "every interface"));
                } else if (n == 2) {
                    out.add(new Suggestion("for", "keyword", null));
                }
            }
            case "sid" -> sid(w, out);
            case "policy" -> {
                if (n == 1) {
                    names("policy", out);
                } else if (n == 2 || n == 4 && w.get(2).equals("bsid")) {
                    if (n == 2) {
                        out.add(new Suggestion("bsid", "keyword", "the policy's binding SID"));
                    }
                    MODES.forEach(m -> out.add(new Suggestion(m, "mode", null)));
                }
            }
            case "steer" -> {
                if (n == 2) {
                    out.add(new Suggestion("->", "keyword", null));
                } else if (n == 3) {
                    names("policy", out);
                }
            }
            case "route" -> {
                if (n == 2) {
                    out.add(new Suggestion("via", "keyword", null));
                } else if (n == 3) {
                    interfaces(out);
                } else if (n == 4) {
                    out.add(new Suggestion("table", "keyword", null));
                }
            }
            case "neighbor" -> {
                if (n == 3) {
                    interfaces(out);
                }
            }
            case "interface" -> {
                if (n == 1) {
                    interfaces(out);
                } else if (w.getLast().equals("{") || w.getLast().endsWith(";") || n == 2) {
                    for (String k : List.of("address", "mac", "mtu")) {
                        out.add(new Suggestion(k, "setting", null));
                    }
                }
            }
            case "encap" -> {
                if (n == 1) {
                    out.add(new Suggestion("source", "setting", "the outer IPv6 source"));
                    out.add(new Suggestion("hoplimit", "setting", "the outer hop limit"));
                } else if (n == 2 && w.get(1).equals("source")) {
                    out.add(new Suggestion("auto", "keyword", "the transit interface's address"));
                }
            }
            default -> {}
        }
    }

    /** After {@code sid NAME [at ADDRESS]}: a behavior; after it, its parameters, and values of some. */
    private void sid(List<String> w, List<Suggestion> out) {
        int n = w.size();
        if (n == 1) {
            names("sid", out);
            return;
        }
        int behaviorAt = n > 2 && w.get(2).equals("at") ? 4 : 2;
        if (n == 2) {
            out.add(new Suggestion("at", "keyword", "the SID's address, or ::SUFFIX in the locator"));
        }
        if (n == behaviorAt) {
            behaviors(out);
            return;
        }
        if (n < behaviorAt) {
            return;
        }
        Descriptor.BehaviorInfo b = behavior(w.get(behaviorAt));
        if (b == null) {
            return;
        }
        List<String> args = w.subList(behaviorAt + 1, n);
        boolean atKey =
                args.size() % 2 == 0 && (args.isEmpty() || !args.getLast().endsWith(","));
        if (atKey) {
            for (Descriptor.Param p : b.params()) {
                if (!args.contains(p.key())) {
                    out.add(new Suggestion(p.key(), "argument", p.help()));
                }
            }
            return;
        }
        String key = args.get(args.size() % 2 == 0 ? args.size() - 2 : args.size() - 1);
        switch (key) {
            case "oif" -> interfaces(out);
            case "policy" -> names("policy", out);
            case "count" -> List.of("true", "false").forEach(v -> out.add(new Suggestion(v, "value", null)));
            case "flavors" -> {
                BehaviorSpec spec = Behaviors.byName(b.name());
                List<String> words = spec == null ? List.of("psp", "usp", "usd") : spec.flavorWords();
                words.forEach(f -> out.add(new Suggestion(f, "flavor", null)));
            }
            default -> {}
        }
    }

    private Descriptor.BehaviorInfo behavior(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return descriptor.behaviors().stream()
                .filter(b -> b.name().toLowerCase(Locale.ROOT).equals(w)
                        || b.aliases().stream()
                                .anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(w)))
                .findFirst()
                .orElse(null);
    }

    private void behaviors(List<Suggestion> out) {
        descriptor.behaviors().forEach(b -> out.add(new Suggestion(b.name(), "behavior", b.summary())));
    }

    private void interfaces(List<Suggestion> out) {
        descriptor.interfaces().forEach(i -> out.add(new Suggestion(i, "interface", null)));
    }

    private void names(String kind, List<Suggestion> out) {
        RouterShell.names(candidate.get(), kind).forEach(x -> out.add(new Suggestion(x, kind, null)));
    }
}
