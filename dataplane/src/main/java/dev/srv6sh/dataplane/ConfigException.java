package dev.srv6sh.dataplane;

/** A {@code DataplaneConfig} that cannot be forwarded with; the old configuration stays in force. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    /** One caused by another failure: a port that could not be opened. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
