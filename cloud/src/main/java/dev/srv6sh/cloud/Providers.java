package dev.srv6sh.cloud;

import dev.srv6sh.cloud.local.LocalProvider;
import java.util.List;

/** Creates providers by backend name. */
public final class Providers {
    private Providers() {}

    public static final List<String> NAMES = List.of("local", "netns", "aws");

    /**
     * The local backend without its JIT warm-up: for learning what a deployment on local is given
     * (addresses, MACs, locators) when nothing will be measured.
     */
    public static Provider localUnwarmed() {
        return new LocalProvider(false);
    }

    public static Provider create(String backend) throws ProviderException {
        return switch (backend) {
            case "local" -> new LocalProvider();
            case "netns", "aws" ->
                throw new ProviderException("the '" + backend
                        + "' backend is not available in this version of srv6sh; use --backend local");
            default ->
                throw new ProviderException(
                        "unknown backend '" + backend + "'; choose one of " + String.join(", ", NAMES));
        };
    }
}
