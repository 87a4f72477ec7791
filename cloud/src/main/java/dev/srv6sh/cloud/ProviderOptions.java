package dev.srv6sh.cloud;

import java.net.URI;
import java.nio.file.Path;

/**
 * What the command line says about the backend beyond its name: the seed of what it emulates at
 * random ({@code --seed}), and for the cloud backends the API endpoint ({@code --endpoint-url}: a
 * moto_server in the tests), the credentials profile ({@code --profile}), the operator's address
 * that SSH is opened to ({@code --operator-cidr}) and the state file ({@code --state}) the provider
 * records its resources in. Null where not given. Never a credential.
 */
public record ProviderOptions(long seed, URI endpoint, String profile, String operatorCidr, Path state) {

    public static ProviderOptions seeded(long seed) {
        return new ProviderOptions(seed, null, null, null, null);
    }

    public static ProviderOptions defaults() {
        return seeded(Providers.DEFAULT_SEED);
    }

    public ProviderOptions withState(Path path) {
        return new ProviderOptions(seed, endpoint, profile, operatorCidr, path);
    }
}
