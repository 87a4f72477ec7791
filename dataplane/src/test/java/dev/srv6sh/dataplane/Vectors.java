package dev.srv6sh.dataplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The byte-exact vectors of the test resource {@code vectors/srv6-vectors.txt} (a copy of the shared
 * test vectors, with their provenance in its header), by name (V4_EndDX4_in, ...).
 */
final class Vectors {
    private static final String RESOURCE = "/vectors/srv6-vectors.txt";
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
        try (InputStream in = Vectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .toList();
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
            throw new UncheckedIOException(e);
        }
    }
}
