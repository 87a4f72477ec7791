package dev.srv6sh.shell.wire;

/** Why the wire benchmark could not measure: a command that failed, a router that did not start. */
public final class WireException extends Exception {
    public WireException(String message) {
        super(message);
    }
}
