package dev.srv6sh.aws;

import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.ProviderFactory;
import dev.srv6sh.cloud.ProviderOptions;
import java.util.ServiceLoader;

/** {@code --backend aws}, found by {@link ServiceLoader} (module-info and META-INF/services). */
public final class AwsProviderFactory implements ProviderFactory {

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public Provider create(ProviderOptions options) throws ProviderException {
        return new AwsProvider(options, bootstrap());
    }

    /** The IAM policy of {@link AwsActions}: what {@code srv6sh aws policy} prints. */
    @Override
    public String policy() {
        return AwsActions.policy();
    }

    /**
     * How instances are bootstrapped: the {@link Bootstrap} the build provides (a service), or one
     * that says it is missing.
     */
    static Bootstrap bootstrap() {
        return ServiceLoader.load(Bootstrap.class, AwsProviderFactory.class.getClassLoader())
                .findFirst()
                .orElseGet(UnavailableBootstrap::new);
    }
}
