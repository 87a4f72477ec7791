package dev.srv6sh.shell.repl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.utils.InfoCmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal's capabilities are kept after the first start and handed to JLine on the next. */
class TerminalCapsTest {
    static final String CAPS = "srv6sh-test|a terminal of the test,\n\tam, cols#80, lines#24, bel=^G,\n";

    @TempDir
    Path home;

    @Test
    void whatJLineLearntIsKeptAndGivenBackNextTime() throws Exception {
        InfoCmp.setLoadedInfoCmp("srv6sh-test-a", CAPS);
        TerminalCaps.keep(home, "srv6sh-test-a");
        assertThat(home.resolve("terminfo/srv6sh-test-a.caps")).hasContent(CAPS.strip());

        Files.writeString(home.resolve("terminfo/srv6sh-test-b.caps"), CAPS);
        assertThat(InfoCmp.getLoadedInfoCmp("srv6sh-test-b")).isNull();
        assertThat(TerminalCaps.preload(home, "srv6sh-test-b")).isTrue();
        assertThat(InfoCmp.getLoadedInfoCmp("srv6sh-test-b")).isEqualTo(CAPS);
    }

    @Test
    void nothingIsKeptOrReadForOddNamesOrWithoutAHome() {
        assertThat(TerminalCaps.file(home, "../../etc/passwd")).isNull();
        assertThat(TerminalCaps.file(home, "a/b")).isNull();
        assertThat(TerminalCaps.file(home, "")).isNull();
        assertThat(TerminalCaps.file(null, "xterm")).isNull();
        assertThat(TerminalCaps.file(home, "xterm-256color")).isEqualTo(home.resolve("terminfo/xterm-256color.caps"));
        assertThat(TerminalCaps.preload(home, "srv6sh-test-none")).isFalse();
        TerminalCaps.keep(home, "srv6sh-test-unknown"); // JLine knows nothing of it: nothing written
        assertThat(home.resolve("terminfo/srv6sh-test-unknown.caps")).doesNotExist();
    }
}
