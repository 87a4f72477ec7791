package dev.srv6sh.interpreter;

/** {@code srv6sh run} exit codes (docs/language.md §7), so CI can tell what went wrong. */
public final class ExitCode {
    private ExitCode() {}

    public static final int OK = 0;
    /** An {@code expect} failed; the script ran to the end. */
    public static final int EXPECT_FAILED = 1;
    /** The script does not parse or check; nothing was done. */
    public static final int SCRIPT_ERROR = 2;
    /** A backend or runtime error; the message says what to do next. */
    public static final int RUNTIME_ERROR = 3;
}
