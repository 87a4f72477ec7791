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
     * How instances are bootstrapped: {@link CloudInitBootstrap} (cloud-init user-data, the stack's
     * key pair under {@code $SRV6SH_HOME}, the distribution {@code ./srv6sh} runs from). A {@link
     * Bootstrap} service on the module or class path takes its place: the tests' moto runs use one
     * that needs no distribution.
     */
    static Bootstrap bootstrap() {
        return ServiceLoader.load(Bootstrap.class, AwsProviderFactory.class.getClassLoader())
                .findFirst()
                .orElseGet(CloudInitBootstrap::new);
    }
}
