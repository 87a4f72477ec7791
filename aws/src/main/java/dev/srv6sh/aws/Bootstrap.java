package dev.srv6sh.aws;

import dev.srv6sh.cloud.ProviderException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How the instances the provider launches become srv6sh routers and measuring hosts, and how the
 * shell reaches them: the seam between the resources ({@code AwsProvider} and its reconciler, which
 * create the stack's bucket, key pair and instances) and what runs on them (cloud-init user-data, the
 * distribution in S3, the operator's key pair, host keys pinned from the console output).
 *
 * <p>No credential ever crosses it: user-data carries presigned URLs with a short expiry and public
 * keys only.
 */
public interface Bootstrap {

    /**
     * The TCP port a router's {@code srv6sh router} serves its router shell and agent on, on its
     * management ENI (the instance's own sshd keeps port 22 for {@code ec2-user}): the security group
     * opens it to the operator as it opens 22.
     */
    int ROUTER_SSH_PORT = 2222;

    /**
     * The operator's key pair for this stack, generated on first use under {@code $SRV6SH_HOME/aws/STACK}
     * (private half 0600): the public half, one OpenSSH line ({@code ssh-ed25519 AAAA… srv6sh-STACK}),
     * that the provider imports as the stack's key pair in each region.
     */
    String publicKey(String stack) throws ProviderException;

    /** The private half's file, for the SSH client that manages routers and drives hosts. */
    Path privateKey(String stack);

    /**
     * What a router's user-data needs. {@code distribution} and {@code configuration} are presigned
     * GET URLs of objects in the stack's bucket (the configuration object may not exist yet at launch:
     * the router's bootstrap waits for it); the MACs name the ENIs the data plane and SSH bind (the
     * device names are the instance's to choose, so the bootstrap finds them by MAC).
     */
    record RouterBoot(
            String stack,
            String router,
            String region,
            URI distribution,
            URI configuration,
            String managementMac,
            String insideMac,
            String transitMac) {}

    /** What a client host's user-data needs: it installs ping and iperf3 and trusts the stack's key. */
    record HostBoot(String stack, String host, String region) {}

    /** The cloud-init user-data (plain text, not yet base64) that makes an instance this router. */
    String routerUserData(RouterBoot boot) throws ProviderException;

    String hostUserData(HostBoot boot) throws ProviderException;

    /**
     * The host keys an instance's bootstrap printed to its console (GetConsoleOutput, decoded), as
     * OpenSSH public key lines; empty while the bootstrap has not printed them yet.
     */
    List<String> hostKeys(String consoleOutput);

    /**
     * The host key a router's {@code srv6sh router} daemon presents on {@link #ROUTER_SSH_PORT} (not
     * the instance's sshd's), as its bootstrap printed it to the console: the one key its agent is
     * pinned to. Empty while the bootstrap has not printed it yet.
     */
    java.util.Optional<String> routerHostKey(String consoleOutput);

    /**
     * Why an instance's bootstrap gave up, as it printed it to the console: the provider stops
     * waiting for that instance and says so. Empty while nothing failed.
     */
    default java.util.Optional<String> failure(String consoleOutput) {
        return java.util.Optional.empty();
    }

    /**
     * The srv6sh the routers run ({@code srv6sh.jar} and {@code lib/}): the provider uploads it to the
     * stack's bucket ({@link Distribution}) and gives {@link #routerUserData} its presigned URL. By
     * default the distribution {@code ./srv6sh} runs from, or a clear error where there is none.
     */
    default Path[] distribution() throws ProviderException {
        return Distribution.launcherFiles();
    }
}
