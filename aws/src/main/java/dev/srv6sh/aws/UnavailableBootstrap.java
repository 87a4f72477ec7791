package dev.srv6sh.aws;

import dev.srv6sh.cloud.ProviderException;
import java.nio.file.Path;
import java.util.List;

/** Where no {@link Bootstrap} is in the build: planning works, launching anything says why it cannot. */
final class UnavailableBootstrap implements Bootstrap {
    private static final String WHY =
            "the aws backend's router bootstrap (user-data, the key pair) is not in this" + " build of srv6sh";

    @Override
    public String publicKey(String stack) throws ProviderException {
        throw new ProviderException(WHY);
    }

    @Override
    public Path privateKey(String stack) {
        return null;
    }

    @Override
    public String routerUserData(RouterBoot boot) throws ProviderException {
        throw new ProviderException(WHY);
    }

    @Override
    public String hostUserData(HostBoot boot) throws ProviderException {
        throw new ProviderException(WHY);
    }

    @Override
    public List<String> hostKeys(String consoleOutput) {
        return List.of();
    }
}
