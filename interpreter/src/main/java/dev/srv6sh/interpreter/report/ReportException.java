package dev.srv6sh.interpreter.report;

/** A report that cannot be written: the message says why, in the script's terms. */
public final class ReportException extends Exception {
    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
