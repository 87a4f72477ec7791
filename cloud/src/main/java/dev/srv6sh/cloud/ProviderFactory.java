package dev.srv6sh.cloud;

/**
 * A backend that lives in a module of its own (aws: the AWS SDK stays out of the other backends'
 * start-up), found by {@link java.util.ServiceLoader} under its {@link #name()}.
 */
public interface ProviderFactory {

    /** The backend's name, as {@code --backend} gives it. */
    String name();

    Provider create(ProviderOptions options) throws ProviderException;

    /**
     * The least-privilege access policy this backend needs in its cloud (aws: an IAM policy document,
     * JSON, with exactly the actions it calls), or null where it needs none.
     */
    default String policy() {
        return null;
    }
}
