package dev.srv6sh.dataplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** The byte-exact vectors of shared/test-vectors/srv6-vectors.txt, by name (V4_EndDX4_in, ...). */
final class Vectors {
    private static Map<String, byte[]> cache;

    private Vectors() {}

    static synchronized byte[] get(String name) {
        if (cache == null) {
            cache = load();
        }
        byte[] v = cache.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no vector " + name);
        }
        return v.clone();
    }

    private static Map<String, byte[]> load() {
        Path file = find();
        if (file == null) {
            String why = "shared/test-vectors/srv6-vectors.txt is not beside the repository";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why + " (CI must have it)");
            }
            Assumptions.abort(why);
        }
        try {
            List<String> lines = Files.readAllLines(file);
            Map<String, byte[]> out = new HashMap<>();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String l = lines.get(i);
                if (l.startsWith("V") && l.contains(" (")) {
                    String hex = lines.get(i + 1).trim();
                    if (!hex.isEmpty() && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                        out.put(l.substring(0, l.indexOf(' ')), HexFormat.of().parseHex(hex));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("shared/test-vectors/srv6-vectors.txt");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }
}
