package dev.srv6sh.cloud;

import java.net.URI;
import java.nio.file.Path;

/**
 * What the command line says about the backend beyond its name: the seed of what it emulates at
 * random ({@code --seed}), and for the cloud backends the API endpoint ({@code --endpoint-url}: a
 * moto_server in the tests), the credentials profile ({@code --profile}), the operator's address
 * that SSH is opened to ({@code --operator-cidr}) and the state file ({@code --state}) the provider
 * records its resources in, and the script's file name. Null where not given. Never a credential.
 */
public record ProviderOptions(long seed, URI endpoint, String profile, String operatorCidr, Path state, String script) {

    /** Without the script's file name. */
    public ProviderOptions(long seed, URI endpoint, String profile, String operatorCidr, Path state) {
        this(seed, endpoint, profile, operatorCidr, state, null);
    }

    public static ProviderOptions seeded(long seed) {
        return new ProviderOptions(seed, null, null, null, null);
    }

    /**
     * With the script's file name ({@code quickstart.srv6}): a backend whose deployments outlive the
     * process names them after its stem (aws: the stack {@code quickstart}) unless the state says otherwise.
     */
    public ProviderOptions withScript(String file) {
        return new ProviderOptions(seed, endpoint, profile, operatorCidr, state, file);
    }

    public static ProviderOptions defaults() {
        return seeded(Providers.DEFAULT_SEED);
    }

    public ProviderOptions withState(Path path) {
        return new ProviderOptions(seed, endpoint, profile, operatorCidr, path, script);
    }
}
