package dev.srv6sh.cloud.ssh;

import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

/**
 * The SSH client srv6sh reaches routers and hosts with: public-key login only (the key each connection
 * names), no ~/.ssh/config, no agent, and a server trusted only when it presents one of the host keys
 * its connection was made with ({@link #attributes}): pinned, never trusted on first use. The router
 * agent's client and the aws backend's exec client both build on it.
 */
public final class PinnedSsh {
    private PinnedSsh() {}

    /** The host keys a connection trusts, and the one the server presented (for a refusal's message). */
    public record Pinned(List<PublicKey> expected, AtomicReference<PublicKey> presented) {
        public Pinned(List<PublicKey> expected) {
            this(List.copyOf(expected), new AtomicReference<>());
        }
    }

    private static final AttributeRepository.AttributeKey<Pinned> PINNED = new AttributeRepository.AttributeKey<>();

    /** A client set up as above, not started yet (a caller may set its own properties first). */
    public static SshClient client() {
        SshClient client = SshClient.setUpDefaultClient();
        client.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory());
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(null);
        client.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory()));
        client.setServerKeyVerifier((session, remote, key) -> {
            Pinned p = session.getConnectionContext() == null
                    ? null
                    : session.getConnectionContext().getAttribute(PINNED);
            if (p == null) {
                return false; // a connection made without pinned keys: nothing to trust
            }
            p.presented().set(key);
            return p.expected().stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
        });
        return client;
    }

    /** What {@code client.connect(user, host, port, attributes(pinned))} trusts. */
    public static AttributeRepository attributes(Pinned pinned) {
        return AttributeRepository.ofKeyValuePair(PINNED, pinned);
    }
}
