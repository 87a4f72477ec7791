package dev.srv6sh.dataplane;

/** A {@code DataplaneConfig} that cannot be forwarded with; the old configuration stays in force. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
