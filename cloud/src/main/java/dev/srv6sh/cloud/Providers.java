package dev.srv6sh.cloud;

import dev.srv6sh.cloud.local.LocalProvider;
import java.util.List;

/** Creates providers by backend name. */
public final class Providers {
    private Providers() {}

    public static final List<String> NAMES = List.of("local", "netns", "aws");

    /**
     * The seed of the emulated links' jitter when none is given ({@code --seed}): fixed, so that two
     * runs of a script see the same delays.
     */
    public static final long DEFAULT_SEED = 1;

    /**
     * The local backend without its JIT warm-up: for learning what a deployment on local is given
     * (addresses, MACs, locators) when nothing will be measured.
     */
    public static Provider localUnwarmed() {
        return localUnwarmed(DEFAULT_SEED);
    }

    /** As {@link #localUnwarmed()}, with the links' jitter seeded by {@code seed}. */
    public static Provider localUnwarmed(long seed) {
        return new LocalProvider(false, seed);
    }

    /**
     * Does ahead of time what the first {@code apply} on {@code backend} would otherwise wait for: on
     * local, the JIT warm-up of the data plane and the emulator (a second or two, once per process;
     * an apply that comes while it runs waits for it). Nothing for the other backends.
     */
    public static void prepare(String backend) {
        if ("local".equals(backend)) {
            dev.srv6sh.cloud.local.LocalProvider.warmUp();
        }
    }

    public static Provider create(String backend) throws ProviderException {
        return create(backend, DEFAULT_SEED);
    }

    /**
     * The backend {@code backend}; {@code seed} seeds what it emulates at random (on local, the links'
     * jitter: docs/emulation.md).
     */
    public static Provider create(String backend, long seed) throws ProviderException {
        return create(backend, ProviderOptions.seeded(seed));
    }

    /** The backend {@code backend}, with what the command line says about it. */
    public static Provider create(String backend, ProviderOptions options) throws ProviderException {
        return switch (backend) {
            case "local" -> new LocalProvider(true, options.seed());
            case "netns" -> new dev.srv6sh.cloud.netns.NetnsProvider(options.seed());
            case "aws" -> factory(backend).create(options);
            default ->
                throw new ProviderException(
                        "unknown backend '" + backend + "'; choose one of " + String.join(", ", NAMES));
        };
    }

    /** The access policy backend {@code backend} needs in its cloud ({@link ProviderFactory#policy}), or null. */
    public static String policy(String backend) throws ProviderException {
        return factory(backend).policy();
    }

    /** The backend that a module of its own provides ({@link ProviderFactory}). */
    private static ProviderFactory factory(String backend) throws ProviderException {
        for (ProviderFactory f :
                java.util.ServiceLoader.load(ProviderFactory.class, Providers.class.getClassLoader())) {
            if (f.name().equals(backend)) {
                return f;
            }
        }
        throw new ProviderException("the '" + backend + "' backend is not in this build of srv6sh (its module,"
                + " srv6sh-" + backend + ", is missing); use --backend local or netns");
    }
}
