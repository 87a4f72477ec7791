package dev.srv6sh.dataplane.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a shell command printed (stdout and stderr together) and its exit status. */
public record CommandResult(String command, int exit, String output) {
    public boolean ok() {
        return exit == 0;
    }

    /** The output, or an error with the command, its status and its output when it failed. */
    public String orThrow() {
        if (exit != 0) {
            throw new IllegalStateException(command + ": exit " + exit + ": " + output.strip());
        }
        return output;
    }

    /**
     * Runs {@code command} on this machine in {@code dir} (null: the JVM's), its output read whole;
     * killed, and an exit status of -1, after {@code timeout}.
     */
    public static CommandResult run(Path dir, Duration timeout, List<String> command) {
        String text = String.join(" ", command);
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                b.directory(dir.toFile());
            }
            Process p = b.start();
            p.getOutputStream().close();
            Thread.Builder.OfVirtual reader = Thread.ofVirtual();
            StringBuilder out = new StringBuilder();
            Thread t = reader.start(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    out.append("(output unreadable: ").append(e.getMessage()).append(')');
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                t.join(1000);
                return new CommandResult(text, -1, out + "\n(timed out after " + timeout.toSeconds() + " s)");
            }
            t.join();
            return new CommandResult(text, p.exitValue(), out.toString());
        } catch (IOException e) {
            return new CommandResult(text, -1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(text + ": interrupted", e);
        }
    }
}
