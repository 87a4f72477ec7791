package dev.srv6sh.cloud;

/** A backend could not do what was asked; the message says what to do next. */
public final class ProviderException extends Exception {
    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
