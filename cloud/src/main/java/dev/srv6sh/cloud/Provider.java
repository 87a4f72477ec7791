package dev.srv6sh.cloud;

/**
 * A backend that makes a {@link CloudSpec} real. The life cycle follows Terraform's: {@link #plan}
 * compares the desired spec with what the provider observes and changes nothing; {@link #apply}
 * carries a plan out and returns the {@link Deployment} (addresses, router and host handles);
 * {@link #destroy} removes everything this provider created.
 */
public interface Provider extends AutoCloseable {

    /** {@code local}, {@code netns} or {@code aws}. */
    String name();

    /**
     * What a script may ask a backend whether it has ({@code supports("tcp")}), with what it means: the
     * few things that differ between backends, so that one script measures what each can.
     */
    java.util.Map<String, String> FEATURES =
            java.util.Map.of("tcp", "its hosts have a kernel TCP stack: 'measure throughput tcp' runs (netns, aws)");

    /** Whether this backend has {@code feature}, one of {@link #FEATURES}' keys. None by default. */
    default boolean supports(String feature) {
        return false;
    }

    /** What exists now, as a spec (empty when nothing is deployed). */
    CloudSpec observe();

    Plan plan(CloudSpec desired);

    Deployment apply(Plan plan) throws ProviderException;

    /** The current deployment, or null when nothing is deployed. */
    Deployment deployment();

    void destroy() throws ProviderException;

    /**
     * Takes charge of the deployment a state file recorded ({@link Deployment#id()}), made by another
     * process: a later {@link #destroy} removes it. Nothing for backends whose deployments end with
     * their process.
     */
    default void adopt(String deploymentId) throws ProviderException {}

    /**
     * Leaves the current deployment in place when this provider is closed ({@code srv6sh apply}: it
     * outlives the process, for a later {@code destroy} to remove). Without it, closing a provider
     * whose deployment outlives processes removes it, as a script's run ends with its deployment.
     */
    default void keep() {}

    /**
     * Whether this provider keeps its own state file (aws: resource IDs written after each create,
     * under a lock) and plans against the real resources, drift included. Then {@code srv6sh
     * plan|apply|destroy} show {@link #plan}'s changes (for destroy, {@code plan(CloudSpec.empty())})
     * instead of comparing with the state file's spec, and leave the state file to the provider.
     */
    default boolean managesState() {
        return false;
    }

    /**
     * What the provider has to tell the user that is neither a change nor an error (a stale lock
     * taken over, a default it chose), since the last call; each is returned once.
     */
    default java.util.List<String> notices() {
        return java.util.List.of();
    }

    @Override
    void close();
}
