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
 * Private keys are OpenSSH files, mode 0600, in owner-only directories.
 */
final class Keys {
    private Keys() {}

    /** Makes an ECDSA P-256 key pair and writes its private half to {@code file} (0600). */
    static KeyPair make(Path file, String comment) throws ProviderException {
        try {
            KeyPair kp = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
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
    static void authorize(Path file, KeyPair kp, String comment) throws ProviderException {
        try {
            String line = PublicKeyEntry.toString(kp.getPublic()) + " " + comment + "\n";
            Files.writeString(file, line, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new ProviderException("cannot write " + file + ": " + e.getMessage());
        }
    }

    static void ownerOnlyDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
