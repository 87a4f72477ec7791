package dev.srv6sh.cloud;

import dev.srv6sh.dataplane.agent.JsonText;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
    private final java.nio.channels.FileChannel channel;
    private final java.nio.channels.FileLock held;

    private StateLock(
            Path file, String tookOver, java.nio.channels.FileChannel channel, java.nio.channels.FileLock held) {
        this.file = file;
        this.tookOver = tookOver;
        this.channel = channel;
        this.held = held;
    }

    /** The lock file of the state {@code state}. */
    public static Path fileOf(Path state) {
        Path abs = state.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code state} for {@code operation}, or says who holds it. Two things make it
     * the holder's alone: an exclusive lock on the lock file ({@link java.nio.channels.FileChannel#tryLock},
     * an fcntl record lock on Linux), held until {@link #close} (the
     * kernel drops it when a process dies, so two processes on this host never both hold it, even when
     * both found the same stale lock), and the file's record of the holder, which another host, or a
     * srv6sh that does not take the file lock, goes by. A record naming a live process on this host,
     * or any process on another host, refuses; one naming a process that is gone is taken over. The
     * record is checked through the path after it is written, so a lock file removed or replaced
     * meanwhile (its holder closing) is taken again rather than held on a file nobody else sees.
     */
    public static StateLock acquire(Path state, String operation) throws ProviderException {
        Path lock = fileOf(state);
        String host = hostName();
        long me = ProcessHandle.current().pid();
        String mine = "{\"pid\": " + me + ", \"host\": " + JsonText.string(host)
                + ", \"time\": " + JsonText.string(Instant.now().toString()) + ", \"operation\": "
                + JsonText.string(operation) + "}\n";
        try {
            if (lock.getParent() != null) {
                Files.createDirectories(lock.getParent());
            }
        } catch (IOException e) {
            throw new ProviderException("cannot make the directory of " + lock + ": " + e.getMessage());
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            java.nio.channels.FileChannel ch = null;
            boolean keep = false;
            try {
                ch = java.nio.channels.FileChannel.open(
                        lock,
                        java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE,
                        java.nio.file.StandardOpenOption.READ);
                java.nio.channels.FileLock fl;
                try {
                    fl = ch.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    fl = null; // this process holds it already
                }
                if (fl == null) {
                    throw locked(state, lock, read(lock));
                }
                String tookOver = null;
                Holder h = read(lock);
                if (h != null) { // a record: its holder died, or holds it without the file lock (this process too)
                    boolean here = h.host().equals(host);
                    boolean gone = here
                            && h.pid() > 0
                            && ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true);
                    if (!gone) {
                        fl.release();
                        throw locked(state, lock, h);
                    }
                    tookOver = "took over the stale lock " + lock + " of process " + h.pid() + " on " + h.host() + " ("
                            + h.operation() + " since " + h.time() + "), which is no longer running";
                }
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.wrap(mine.getBytes(StandardCharsets.UTF_8)), 0);
                ch.force(true);
                String there;
                try {
                    there = Files.readString(lock, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    there = null;
                }
                if (!mine.equals(there)) {
                    fl.release(); // its holder removed the file as we locked it: take the one there now
                    continue;
                }
                keep = true;
                return new StateLock(lock, tookOver, ch, fl);
            } catch (IOException e) {
                throw new ProviderException("cannot write the lock " + lock + ": " + e.getMessage());
            } finally {
                if (!keep && ch != null) {
                    try {
                        ch.close();
                    } catch (IOException e) {
                        // nothing held
                    }
                }
            }
        }
        throw new ProviderException("the lock " + lock + " keeps coming back; another srv6sh is taking it");
    }

    private static ProviderException locked(Path state, Path lock, Holder h) {
        return new ProviderException("the state " + state + " is locked"
                + (h == null
                        ? " (" + lock + " is held, and says by whom not yet)"
                        : " by process " + h.pid() + " on " + h.host() + " (" + h.operation() + " since " + h.time()
                                + ")")
                + "; wait for it to finish, or, if that process is gone, remove " + lock);
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
            Files.deleteIfExists(file); // while locked: nobody else's record is removed
        } catch (IOException e) {
            // a record left behind names this process, gone once it ends: the next one takes it over
        }
        try {
            held.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel drops the lock whatever happens
        }
    }
}
