package dev.srv6sh.cloud;

import dev.srv6sh.dataplane.agent.JsonText;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The lock beside a state file ({@code STATE.lock}) that an operation holds while it may write the
 * state: a second apply or destroy on the same state refuses, naming the holder, as Terraform's
 * state locking does. The file records who holds it (pid, host, time, operation); a lock whose
 * process is gone on this host is stale and taken over, which {@link #tookOver} says.
 */
public final class StateLock implements AutoCloseable {
    private final Path file;
    private final String tookOver;

    private StateLock(Path file, String tookOver) {
        this.file = file;
        this.tookOver = tookOver;
    }

    /** The lock file of the state {@code state}. */
    public static Path fileOf(Path state) {
        Path abs = state.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".lock");
    }

    /** Takes the lock of {@code state} for {@code operation}, or says who holds it. */
    public static StateLock acquire(Path state, String operation) throws ProviderException {
        Path lock = fileOf(state);
        String host = hostName();
        String mine = "{\"pid\": " + ProcessHandle.current().pid() + ", \"host\": " + JsonText.string(host)
                + ", \"time\": " + JsonText.string(Instant.now().toString()) + ", \"operation\": "
                + JsonText.string(operation) + "}\n";
        try {
            if (lock.getParent() != null) {
                Files.createDirectories(lock.getParent());
            }
        } catch (IOException e) {
            throw new ProviderException("cannot make the directory of " + lock + ": " + e.getMessage());
        }
        String tookOver = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.writeString(
                        lock,
                        mine,
                        StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return new StateLock(lock, tookOver);
            } catch (FileAlreadyExistsException e) {
                Holder h = read(lock);
                if (h != null
                        && h.host().equals(host)
                        && h.pid() > 0
                        && ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true)) {
                    tookOver = "took over the stale lock " + lock + " of process " + h.pid() + " on " + h.host() + " ("
                            + h.operation() + " since " + h.time() + "), which is no longer running";
                    try {
                        Files.deleteIfExists(lock);
                    } catch (IOException io) {
                        throw new ProviderException("cannot remove the stale lock " + lock + ": " + io.getMessage());
                    }
                    continue;
                }
                throw new ProviderException("the state " + state + " is locked"
                        + (h == null
                                ? " (" + lock + " cannot be read)"
                                : " by process " + h.pid() + " on " + h.host() + " (" + h.operation() + " since "
                                        + h.time() + ")")
                        + "; wait for it to finish, or, if that process is gone, remove " + lock);
            } catch (IOException e) {
                throw new ProviderException("cannot write the lock " + lock + ": " + e.getMessage());
            }
        }
        throw new ProviderException("the lock " + lock + " keeps coming back; another srv6sh is taking it");
    }

    /** Who holds a lock, as its file says. */
    public record Holder(long pid, String host, String time, String operation) {}

    /** The holder recorded in {@code lock}, or null when it is missing or unreadable. */
    public static Holder read(Path lock) {
        try {
            if (JsonText.parse(Files.readString(lock, StandardCharsets.UTF_8)) instanceof Map<?, ?> m
                    && m.get("pid") instanceof Double pid) {
                return new Holder(
                        pid.longValue(),
                        String.valueOf(m.get("host")),
                        String.valueOf(m.get("time")),
                        String.valueOf(m.get("operation")));
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** What taking the lock had to do about a stale one, or null. */
    public String tookOver() {
        return tookOver;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a lock left behind is stale once this process ends; the next one takes it over
        }
    }
}
