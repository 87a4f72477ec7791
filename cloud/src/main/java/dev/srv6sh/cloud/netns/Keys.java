package dev.srv6sh.cloud.netns;

import dev.srv6sh.cloud.ProviderException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * The deployment's SSH keys, made by the provider: its client identity (whose public half is the
 * routers' only authorized key) and each router's host key, written before the daemon starts so
 * that the key the client pins is the one the provider made, never one learnt from the network.
 * Private keys are OpenSSH files, mode 0600, in owner-only directories. Public: the aws backend
 * makes its operator key pair the same way (an ed25519 one, which EC2 imports).
 */
public final class Keys {
    private Keys() {}

    /** Makes an ECDSA P-256 key pair and writes its private half to {@code file} (0600). */
    public static KeyPair make(Path file, String comment) throws ProviderException {
        return make(file, "ecdsa-sha2-nistp256", 256, comment);
    }

    /**
     * Makes a key pair of OpenSSH type {@code type} ({@code ecdsa-sha2-nistp256}, {@code ssh-ed25519}:
     * Bouncy Castle's, as MINA SSHD 2.x has no other) and writes its private half to {@code file}
     * (0600), never over an existing file.
     */
    public static KeyPair make(Path file, String type, int bits, String comment) throws ProviderException {
        try {
            KeyPair kp = KeyUtils.generateKeyPair(type, bits);
            ownerOnlyDir(file.toAbsolutePath().getParent());
            try (OutputStream out =
                    Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, comment, null, out);
            }
            return kp;
        } catch (IOException | GeneralSecurityException e) {
            throw new ProviderException("cannot make the SSH key " + file + ": " + e.getMessage());
        }
    }

    /** Writes {@code kp}'s public half as the only line of an authorized-keys file (0600). */
    public static void authorize(Path file, KeyPair kp, String comment) throws ProviderException {
        try {
            String line = publicLine(kp, comment) + "\n";
            Files.writeString(file, line, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new ProviderException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The public half as one OpenSSH line: {@code TYPE BASE64 COMMENT}. */
    public static String publicLine(KeyPair kp, String comment) {
        return PublicKeyEntry.toString(kp.getPublic()) + " " + comment;
    }

    /** Makes {@code dir} (and its parents) if missing, and makes it owner-only (0700). */
    public static void ownerOnlyDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
