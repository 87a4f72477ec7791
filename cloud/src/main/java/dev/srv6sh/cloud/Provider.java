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

    /** What exists now, as a spec (empty when nothing is deployed). */
    CloudSpec observe();

    Plan plan(CloudSpec desired);

    Deployment apply(Plan plan) throws ProviderException;

    /** The current deployment, or null when nothing is deployed. */
    Deployment deployment();

    void destroy() throws ProviderException;

    @Override
    void close();
}
