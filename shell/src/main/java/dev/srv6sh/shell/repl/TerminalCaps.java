package dev.srv6sh.shell.repl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jline.utils.InfoCmp;

/**
 * The terminal's capabilities (terminfo, as {@code infocmp -x $TERM} prints them), kept under
 * {@code $SRV6SH_HOME/terminfo/}. JLine asks {@code infocmp} for them every time a terminal opens, and
 * starting that process from the JVM costs tens of milliseconds of a prompt that should take a few
 * hundred (docs/performance.md); so the first start lets JLine ask and keeps the answer, and later
 * starts hand it to JLine before the terminal is built. Delete the folder after changing terminfo.
 */
final class TerminalCaps {
    private TerminalCaps() {}

    /** Gives JLine the kept capabilities of {@code term}, if any; true when it had them. */
    static boolean preload(Path home, String term) {
        Path f = file(home, term);
        if (f == null || InfoCmp.getLoadedInfoCmp(term) != null) {
            return false;
        }
        try {
            String caps = Files.readString(f, StandardCharsets.UTF_8);
            if (caps.isBlank()) {
                return false;
            }
            InfoCmp.setLoadedInfoCmp(term, caps);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // JLine asks infocmp, as without the file
        }
    }

    /** Keeps what JLine learnt of {@code term} for the next start (quietly does nothing when it cannot). */
    static void keep(Path home, String term) {
        Path f = file(home, term);
        String caps = f == null ? null : InfoCmp.getLoadedInfoCmp(term);
        if (caps == null || caps.isBlank() || Files.exists(f)) {
            return;
        }
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), term, ".tmp");
            Files.writeString(tmp, caps, StandardCharsets.UTF_8);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // no cache: the next start asks infocmp again
        }
    }

    /** The file for {@code term}, or null for no home or a name that is not a plain terminal name. */
    static Path file(Path home, String term) {
        if (home == null || term == null || term.isEmpty() || term.length() > 64 || !term.matches("[A-Za-z0-9._+-]+")) {
            return null;
        }
        return home.resolve("terminfo").resolve(term + ".caps");
    }
}
