package dev.srv6sh.shell.router;

import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Public-key authentication: a key must be of a kind worth trusting (ed25519, ECDSA, or RSA of at
 * least 3072 bits; no certificates, no security keys), listed in the authorized-keys file (MINA's
 * {@link AuthorizedKeysAuthenticator}, which rereads the file when it changes), and that file must
 * still be writable by its owner only. Every refusal is logged with the key's fingerprint. The user
 * name must be a plain name: it names the user's history file and their commits.
 */
final class KeyAuthenticator implements PublickeyAuthenticator {
    /** The key a session logged in with, as {@link KeyFiles#describe} says it (for the log). */
    static final AttributeRepository.AttributeKey<String> KEY = new AttributeRepository.AttributeKey<>();

    static final int MIN_RSA_BITS = 3072;
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,31}");

    private final Path file;
    private final AuthorizedKeysAuthenticator listed;
    private final Consumer<String> log;

    KeyAuthenticator(Path file, Consumer<String> log) {
        this.file = file;
        this.listed = new AuthorizedKeysAuthenticator(file);
        this.log = log;
    }

    @Override
    public boolean authenticate(String user, PublicKey key, ServerSession session) {
        String refusal = refusal(user, key);
        if (refusal == null) {
            try {
                KeyFiles.checkAuthorizedKeys(file);
            } catch (KeyFiles.Refused e) {
                refusal = e.getMessage();
            }
        }
        if (refusal == null && !listed.authenticate(user, key, session)) {
            refusal = "not in " + file;
        }
        if (refusal == null) {
            refusal = restricted(key);
        }
        if (refusal != null) {
            log.accept("ssh: refused " + KeyFiles.describe(key) + " for " + printable(user) + " from "
                    + session.getClientAddress() + ": " + refusal);
            return false;
        }
        session.setAttribute(KEY, KeyFiles.describe(key));
        return true;
    }

    /** Why the key or the user name is not acceptable whatever the file says, or null. */
    static String refusal(String user, PublicKey key) {
        if (!USER.matcher(user).matches()) {
            return "the user name is not a plain name (letters, digits, '.', '_', '-', at most 32)";
        }
        if (key instanceof OpenSshCertificate) {
            return "certificates are not accepted";
        }
        String type = KeyUtils.getKeyType(key);
        if (type == null) {
            return "an unknown kind of key";
        }
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return bits >= MIN_RSA_BITS
                    ? null
                    : "an RSA key of " + bits + " bits (at least " + MIN_RSA_BITS + " are needed)";
        }
        if (type.equals("ssh-ed25519") || type.startsWith("ecdsa-sha2-nistp")) {
            return null;
        }
        return "a " + type + " key (only ed25519, ECDSA and RSA of " + MIN_RSA_BITS + " bits or more are accepted)";
    }

    private static String printable(String user) {
        String p = user.replaceAll("[^\\x21-\\x7e]", "?");
        return p.length() > 40 ? p.substring(0, 40) + "..." : p;
    }

    /** The options an authorized key may carry here: MINA honours these two, and nothing else. */
    private static final java.util.Set<String> HONOURED = java.util.Set.of("from", "expiry-time");

    /**
     * Why {@code key}'s line may not log in to the router shell, or null: a line with options such as
     * {@code command="…"}, {@code restrict} or {@code no-pty} (a backup or deploy key, say) limits what
     * the key may do, which this server cannot enforce, so the line does not let it in at all, rather
     * than let it in with a whole router shell.
     */
    private String restricted(PublicKey key) {
        try {
            for (org.apache.sshd.common.config.keys.AuthorizedKeyEntry e :
                    org.apache.sshd.common.config.keys.AuthorizedKeyEntry.readAuthorizedKeys(file)) {
                PublicKey k = e.resolvePublicKey(
                        null, java.util.Map.of(), org.apache.sshd.common.config.keys.PublicKeyEntryResolver.IGNORING);
                if (k == null || !org.apache.sshd.common.config.keys.KeyUtils.compareKeys(k, key)) {
                    continue;
                }
                java.util.List<String> unsupported = e.getLoginOptions() == null
                        ? java.util.List.of()
                        : e.getLoginOptions().keySet().stream()
                                .map(o -> o.toLowerCase(java.util.Locale.ROOT))
                                .filter(o -> !HONOURED.contains(o))
                                .sorted()
                                .toList();
                if (!unsupported.isEmpty()) {
                    return "its line in " + file + " restricts it (" + String.join(", ", unsupported)
                            + "), which the router shell cannot honour";
                }
            }
            return null;
        } catch (java.io.IOException | java.security.GeneralSecurityException | RuntimeException e) {
            return "cannot read " + file + ": " + e.getMessage();
        }
    }
}
