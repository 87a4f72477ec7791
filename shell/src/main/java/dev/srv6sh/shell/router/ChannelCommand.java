package dev.srv6sh.shell.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * What a session channel runs (a shell, an exec'd command, the agent subsystem): MINA calls {@link
 * #start} on one of its I/O threads, so the work runs on a virtual thread of its own, whose result is
 * the exit status {@code ssh} returns; when the channel goes away first (the client closed it, Ctrl-C
 * on an exec without a PTY), {@link #destroy} interrupts that thread.
 */
abstract class ChannelCommand implements Command {
    protected InputStream in;
    protected OutputStream out;
    protected OutputStream err;
    protected final Consumer<String> log;
    private ExitCallback exit;
    private volatile Thread worker;
    protected volatile boolean destroyed;

    ChannelCommand(Consumer<String> log) {
        this.log = log;
    }

    /** The work, on its own thread; returns the exit status. */
    protected abstract int run(ChannelSession channel, Environment env, String user) throws Exception;

    /** What the log calls this work ({@code shell}, {@code exec 'show sids'}). */
    protected abstract String what();

    @Override
    public void start(ChannelSession channel, Environment env) {
        String user = channel.getSession().getUsername();
        String who = user + " from " + channel.getSession().getClientAddress();
        worker = Thread.ofVirtual().name("srv6sh-ssh-" + user).start(() -> {
            int status = 1;
            try {
                status = run(channel, env, user);
            } catch (InterruptedException | java.io.InterruptedIOException e) {
                status = 130; // as a shell reports an interrupted command
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // the line editor's IOError, a console's bug: a log line, not a stack trace
                if (!destroyed) {
                    log.accept("ssh: " + who + ": " + what() + " failed: " + e);
                }
            } finally {
                flush(out);
                flush(err);
                if (!destroyed) {
                    log.accept("ssh: " + who + ": " + what() + " ended (exit " + status + ")");
                }
                exit.onExit(status);
            }
        });
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
    }

    private static void flush(OutputStream s) {
        try {
            if (s != null) {
                s.flush();
            }
        } catch (IOException e) {
            // the channel is gone
        }
    }

    /** Whether the channel asked for a terminal (an ssh -t or an interactive ssh). */
    static boolean hasPty(ChannelSession channel) {
        return channel instanceof RouterChannel r && r.hasPty();
    }

    /** Runs an entry; a console that fails with an exception fails the command, not the session. */
    static int execute(RouterConsole console, String entry, java.io.PrintWriter out, java.io.PrintWriter err) {
        try {
            return console.execute(entry, out, err);
        } catch (RuntimeException e) {
            err.println("error: the command failed inside the router: " + e);
            return 1;
        }
    }

    static boolean isExit(String line) {
        String s = line.strip();
        return s.equals("exit") || s.equals("quit") || s.equals("logout");
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }
}
