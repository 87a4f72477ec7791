package dev.srv6sh.aws;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The tests' {@link Bootstrap} (a service of the test class path, which {@link
 * AwsProviderFactory#bootstrap} prefers to {@link CloudInitBootstrap}): fixed user-data that names
 * the instance, an ed25519 public key made for the run (the real bootstrap keeps its key under
 * SRV6SH_HOME), and a distribution of a few bytes. A test of the real bootstrap puts it in {@link
 * #instead} for its run.
 */
public final class TestBootstrap implements Bootstrap {
    static final String ROUTER_PREFIX = "#cloud-config\n# srv6sh test bootstrap: router ";
    private static final String KEY = key();

    /** Where set, the bootstrap every call goes to instead (the real one, in {@code AwsBootstrapApplyTest}). */
    static volatile Bootstrap instead;

    private static String key() {
        try {
            byte[] x509 = KeyPairGenerator.getInstance("Ed25519")
                    .generateKeyPair()
                    .getPublic()
                    .getEncoded();
            byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(b);
            byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
            d.writeInt(type.length);
            d.write(type);
            d.writeInt(raw.length);
            d.write(raw);
            return "ssh-ed25519 " + Base64.getEncoder().encodeToString(b.toByteArray());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String publicKey(String stack) throws dev.srv6sh.cloud.ProviderException {
        if (instead != null) {
            return instead.publicKey(stack);
        }
        return KEY + " srv6sh-" + stack;
    }

    @Override
    public Path privateKey(String stack) {
        if (instead != null) {
            return instead.privateKey(stack);
        }
        return null;
    }

    @Override
    public String routerUserData(RouterBoot boot) throws dev.srv6sh.cloud.ProviderException {
        if (instead != null) {
            return instead.routerUserData(boot);
        }
        return ROUTER_PREFIX + boot.router() + "\nruncmd:\n  - [systemctl, start, srv6sh-router]\n";
    }

    @Override
    public String hostUserData(HostBoot boot) throws dev.srv6sh.cloud.ProviderException {
        if (instead != null) {
            return instead.hostUserData(boot);
        }
        return "#cloud-config\n# srv6sh test bootstrap: host " + boot.host() + "\n";
    }

    @Override
    public List<String> hostKeys(String consoleOutput) {
        if (instead != null) {
            return instead.hostKeys(consoleOutput);
        }
        return List.of();
    }

    @Override
    public Optional<String> routerHostKey(String consoleOutput) {
        if (instead != null) {
            return instead.routerHostKey(consoleOutput);
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> failure(String consoleOutput) {
        return instead != null ? instead.failure(consoleOutput) : Optional.empty();
    }

    /** A distribution of a few bytes (the real one is tens of megabytes): what the provider uploads. */
    @Override
    public Path[] distribution() throws dev.srv6sh.cloud.ProviderException {
        if (instead != null) {
            return instead.distribution();
        }
        return FakeDist.files();
    }
}
