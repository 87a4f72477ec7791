package dev.srv6sh.shell.repl;

import java.util.List;
import org.jline.reader.CompletingParsedLine;

/**
 * A line as JLine's completion sees it, split only at the word being completed: {@code line}, the
 * {@code cursor}, and where the word under it {@code start}s. The REPL's and the router shell's
 * parsers give it; the completers decide what the word may be.
 */
public record WordLine(String line, int cursor, int start) implements CompletingParsedLine {
    @Override
    public String word() {
        return line.substring(start, cursor);
    }

    @Override
    public int wordCursor() {
        return cursor - start;
    }

    @Override
    public int wordIndex() {
        return 0;
    }

    @Override
    public List<String> words() {
        return List.of(word());
    }

    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
        return candidate;
    }

    @Override
    public int rawWordCursor() {
        return wordCursor();
    }

    @Override
    public int rawWordLength() {
        return word().length();
    }
}
