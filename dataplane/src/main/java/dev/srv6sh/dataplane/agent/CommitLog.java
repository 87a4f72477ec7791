package dev.srv6sh.dataplane.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a router's commit history is kept. {@link #NONE} keeps nothing (the local backend's routers
 * live as long as the JVM); {@link #in} keeps it in a directory, so that it survives a restart of the
 * router daemon.
 */
interface CommitLog {
    /** The commits kept so far, oldest first. */
    List<ConfigStore.Commit> load() throws AgentException;

    /** Keeps {@code commit} (a new one, or a new status of one kept already) before returning. */
    void append(ConfigStore.Commit commit) throws AgentException;

    CommitLog NONE = new CommitLog() {
        @Override
        public List<ConfigStore.Commit> load() {
            return List.of();
        }

        @Override
        public void append(ConfigStore.Commit commit) {}
    };

    /** A log in {@code dir}/{@value JsonLines#FILE}, created with the directory when missing. */
    static CommitLog in(Path dir) {
        return new JsonLines(dir.resolve(JsonLines.FILE));
    }

    /**
     * One JSON object per line ({@link AgentJson} of a {@link ConfigStore.Commit}: its history entry
     * and its whole configuration), appended and forced to the disk before a commit is reported done:
     * a crash loses no commit the router said it made. A commit's later status (confirmed, rolled
     * back) is another line for the same id, which replaces the earlier one on loading. Whatever
     * cannot be read is an error naming the file and the line, never skipped: a history with a hole
     * would make {@code rollback N} restore the wrong configuration.
     */
    final class JsonLines implements CommitLog {
        static final String FILE = "commits.jsonl";

        private final Path file;

        JsonLines(Path file) {
            this.file = file;
        }

        @Override
        public List<ConfigStore.Commit> load() throws AgentException {
            if (!Files.exists(file)) {
                return List.of();
            }
            List<String> lines;
            try {
                byte[] bytes = Files.readAllBytes(file);
                int end = bytes.length;
                while (end > 0 && bytes[end - 1] != '\n') {
                    end--;
                }
                if (end < bytes.length) {
                    // a line without its newline: the process stopped while appending it, before the
                    // fsync that acknowledges a commit, so that commit was never made; cut it off, so
                    // that the next commit starts a line of its own
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(end);
                        ch.force(true);
                    }
                }
                lines = new String(bytes, 0, end, StandardCharsets.UTF_8)
                        .lines()
                        .toList();
            } catch (IOException e) {
                throw new AgentException(
                        AgentException.INTERNAL, "cannot read the commit history " + file + ": " + e.getMessage(), e);
            }
            Map<Long, ConfigStore.Commit> byId = new LinkedHashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                ConfigStore.Commit c;
                try {
                    c = AgentJson.read(line, ConfigStore.Commit.class);
                } catch (RuntimeException e) {
                    throw corrupt(i + 1, e.getMessage());
                }
                if (c == null || c.info() == null) {
                    throw corrupt(i + 1, "not a commit");
                }
                long expected = byId.size() + 1;
                if (!byId.containsKey(c.info().id()) && c.info().id() != expected) {
                    throw corrupt(i + 1, "commit " + c.info().id() + " where commit " + expected + " was expected");
                }
                byId.put(c.info().id(), c);
            }
            return new ArrayList<>(byId.values());
        }

        private AgentException corrupt(int line, String why) {
            return new AgentException(
                    AgentException.INTERNAL,
                    file + ":" + line + ": the commit history is corrupt (" + why
                            + "); move the file away to start with an empty history");
        }

        @Override
        public void append(ConfigStore.Commit commit) throws AgentException {
            byte[] line = (AgentJson.write(commit) + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                boolean created = !Files.exists(file);
                if (created) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                }
                try (FileChannel ch = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    ByteBuffer b = ByteBuffer.wrap(line);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    ch.force(true);
                }
                if (created) {
                    syncDirectory(file.toAbsolutePath().getParent());
                }
            } catch (IOException e) {
                throw new AgentException(
                        AgentException.INTERNAL,
                        "cannot write the commit history " + file + ": " + e.getMessage() + "; the commit is not made",
                        e);
            }
        }

        /** The new file's name is durable only once its directory is (POSIX); where that cannot be done, it is skipped. */
        private static void syncDirectory(Path dir) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException | UnsupportedOperationException e) {
                // some systems cannot open a directory; the file's own fsync still holds its bytes
            }
        }
    }
}
