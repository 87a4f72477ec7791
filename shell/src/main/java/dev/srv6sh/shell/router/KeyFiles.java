package dev.srv6sh.shell.router;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.Set;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * The files the SSH server trusts, checked the way OpenSSH's {@code StrictModes} checks them: whoever
 * can write the authorized-keys file (or its directory) can log in, and whoever can read the host key
 * can impersonate the router. MINA checks neither, and silently replaces a host key it cannot read;
 * here a bad file stops the server with a message saying what to fix.
 */
final class KeyFiles {
    private KeyFiles() {}

    /** A file the server will not start with, and why. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> OTHERS_ANY = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    /**
     * The authorized-keys file: a regular file, neither it nor its directory writable by group or
     * others, owned by this process's user or root.
     */
    static void checkAuthorizedKeys(Path file) throws Refused {
        PosixFileAttributes a = attributes(file, "the authorized keys file");
        if (!a.isRegularFile()) {
            throw new Refused("the authorized keys file " + file + " is not a regular file");
        }
        notWritableByOthers(file, a, "the authorized keys file");
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            PosixFileAttributes d = attributes(dir, "the directory of the authorized keys file");
            notWritableByOthers(dir, d, "the directory of the authorized keys file");
        }
    }

    private static void notWritableByOthers(Path p, PosixFileAttributes a, String what) throws Refused {
        Set<PosixFilePermission> perms = a.permissions();
        if (perms.stream().anyMatch(OTHERS_WRITE::contains)) {
            throw new Refused(what + " " + p + " is writable by "
                    + (perms.contains(PosixFilePermission.OTHERS_WRITE) ? "anyone" : "its group")
                    + " (" + PosixFilePermissions.toString(perms)
                    + "): anyone who can write it can log in; chmod go-w " + p);
        }
        String owner = a.owner().getName();
        if (!owner.equals(System.getProperty("user.name")) && !owner.equals("root")) {
            throw new Refused(what + " " + p + " belongs to " + owner + ", not to " + System.getProperty("user.name")
                    + " or root");
        }
    }

    private static PosixFileAttributes attributes(Path p, String what) throws Refused {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new Refused(what + " " + p + " does not exist");
        } catch (IOException | UnsupportedOperationException e) {
            throw new Refused("cannot check " + what + " " + p + ": " + e.getMessage());
        }
    }

    /**
     * The host key in {@code file}: read if it exists (refused if others can read it or it cannot be
     * read: never replaced, since clients pinned it), else generated once, ECDSA P-256, in a directory
     * made owner-only, mode 0600. {@code log} hears that a key was made.
     */
    static KeyPair hostKey(Path file, java.util.function.Consumer<String> log) throws Refused {
        Path key = file.toAbsolutePath();
        if (Files.exists(key, LinkOption.NOFOLLOW_LINKS)) {
            return readHostKey(key);
        }
        Path dir = key.getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            PosixFileAttributes d = Files.readAttributes(dir, PosixFileAttributes.class);
            notWritableByOthers(dir, d, "the host key's directory");
        } catch (Refused e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            throw new Refused("cannot make the host key's directory " + dir + ": " + e.getMessage());
        }
        SimpleGeneratorHostKeyProvider generator = new SimpleGeneratorHostKeyProvider(key);
        generator.setAlgorithm(KeyUtils.EC_ALGORITHM);
        generator.setKeySize(256);
        generator.setOverwriteAllowed(false);
        generator.setStrictFilePermissions(true);
        generator.loadKeys(null); // generates and writes it (MINA says nothing if writing fails: read it back)
        if (!Files.exists(key)) {
            throw new Refused("cannot write the host key " + key);
        }
        KeyPair made = readHostKey(key);
        log.accept("ssh: generated host key " + key + " (" + describe(made.getPublic()) + ")");
        return made;
    }

    private static KeyPair readHostKey(Path key) throws Refused {
        PosixFileAttributes a = attributes(key, "the host key");
        if (!a.isRegularFile()) {
            throw new Refused("the host key " + key + " is not a regular file");
        }
        if (a.permissions().stream().anyMatch(OTHERS_ANY::contains)) {
            throw new Refused("the host key " + key + " is accessible by others ("
                    + PosixFilePermissions.toString(a.permissions()) + "): chmod 600 " + key);
        }
        try (InputStream in = Files.newInputStream(key)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, new PathResource(key), in, null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new Refused("the host key " + key + " holds no key; it is not replaced (clients pinned it):"
                        + " restore it, or remove it to make a new one");
            }
            return it.next();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof Refused r) {
                throw r;
            }
            throw new Refused("cannot read the host key " + key + " (" + e.getMessage()
                    + "); it is not replaced (clients pinned it): restore it, or remove it to make a new one");
        }
    }

    /** A key as people compare them: its type and SHA-256 fingerprint ({@code ECDSA SHA256:...}). */
    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }
}
