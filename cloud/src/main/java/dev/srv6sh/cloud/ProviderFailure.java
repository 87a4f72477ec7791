package dev.srv6sh.cloud;

/**
 * A {@link ProviderException} where the SPI allows no checked one ({@link Provider#plan}: a backend
 * that plans against the real resources can fail to read them). Callers report its message as they
 * report a ProviderException.
 */
public final class ProviderFailure extends RuntimeException {
    public ProviderFailure(ProviderException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized ProviderException getCause() {
        return (ProviderException) super.getCause();
    }
}
