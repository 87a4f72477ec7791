package dev.srv6sh.grammar.diag;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean": the closest known names within a small edit distance, for syntax and check errors alike. */
public final class Names {
    private Names() {}

    /** A note such as {@code did you mean 'lr'?}, naming up to three equally close names, or none. */
    public static String[] suggest(String wrong, Collection<String> known) {
        int best = Integer.MAX_VALUE;
        java.util.List<String> closest = new java.util.ArrayList<>();
        for (String k : known) {
            if (k.equals(wrong)) {
                continue;
            }
            int d = distance(wrong.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < best) {
                best = d;
                closest.clear();
            }
            if (d == best) {
                closest.add(k);
            }
        }
        // one- and two-letter names are too short for a guess to mean anything
        int allowed = wrong.length() < 3 ? 0 : Math.max(1, Math.min(3, wrong.length() / 3));
        if (closest.isEmpty() || best > allowed) {
            return new String[0];
        }
        java.util.List<String> quoted =
                closest.stream().limit(3).map(k -> "'" + k + "'").toList();
        String list = quoted.size() == 1
                ? quoted.getFirst()
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.getLast();
        return new String[] {"did you mean " + list + "?"};
    }

    /** Damerau–Levenshtein (optimal string alignment) distance. */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
