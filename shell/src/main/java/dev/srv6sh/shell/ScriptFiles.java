package dev.srv6sh.shell;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading scripts and --param pairs, with errors a user can act on. */
final class ScriptFiles {
    private ScriptFiles() {}

    /** The script's text, or null after printing why it cannot be read. */
    static String read(Path file, java.io.PrintWriter err) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            err.println("srv6sh: " + file + ": no such file");
        } catch (MalformedInputException e) {
            err.println("srv6sh: " + file + ": not a UTF-8 text file");
        } catch (IOException e) {
            err.println("srv6sh: " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        return null;
    }

    /** {@code NAME=VALUE} pairs; null after printing the first malformed one. */
    static Map<String, String> params(List<String> pairs, java.io.PrintWriter err) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0 || !p.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                err.println("srv6sh: --param takes NAME=VALUE, not '" + p + "'");
                return null;
            }
            out.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return out;
    }
}
