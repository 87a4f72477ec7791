package dev.srv6sh.aws;

import dev.srv6sh.dataplane.agent.AgentProtocol;
import dev.srv6sh.dataplane.agent.RouterAgent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;

/**
 * An SSH server on 127.0.0.1 standing for an instance: exec runs the command with this machine's
 * {@code sh} (a host's sshd), and the {@code srv6sh-agent} subsystem serves a real agent (a router's
 * daemon). Public keys only, the one {@code client} key; the host key is {@code hostKey}.
 */
final class LoopbackSshd implements AutoCloseable {
    private final SshServer sshd;

    LoopbackSshd(KeyPair hostKey, PublicKey client, RouterAgent agent) throws IOException {
        sshd = SshServer.setUpDefaultServer();
        sshd.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory());
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory()));
        sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(client, key));
        sshd.setCommandFactory((channel, command) -> new Exec(command));
        if (agent != null) {
            sshd.setSubsystemFactories(List.of(new SubsystemFactory() {
                @Override
                public String getName() {
                    return AgentProtocol.SUBSYSTEM;
                }

                @Override
                public Command createSubsystem(ChannelSession channel) {
                    return new Agent(agent);
                }
            }));
        }
        sshd.start();
    }

    int port() {
        return sshd.getPort();
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** Streams and exit of a command, its work on a thread of its own. */
    private abstract static class Base implements Command {
        InputStream in;
        OutputStream out;
        OutputStream err;
        ExitCallback exit;
        volatile Thread worker;

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
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        abstract int run() throws Exception;

        @Override
        public void start(ChannelSession channel, Environment env) {
            worker = Thread.ofVirtual().start(() -> {
                int rc = 255;
                try {
                    rc = run();
                } catch (Exception e) {
                    rc = 255;
                } finally {
                    try {
                        out.flush();
                        err.flush();
                    } catch (IOException e) {
                        // gone
                    }
                    exit.onExit(rc);
                }
            });
        }

        @Override
        public void destroy(ChannelSession channel) {
            Thread w = worker;
            if (w != null) {
                w.interrupt();
            }
        }
    }

    private static final class Exec extends Base {
        private final String command;
        private volatile Process process;

        Exec(String command) {
            this.command = command;
        }

        @Override
        int run() throws Exception {
            process = new ProcessBuilder("sh", "-c", command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Thread e = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
            copy(process.getInputStream(), out);
            e.join();
            return process.waitFor();
        }

        private static void copy(InputStream from, OutputStream to) {
            try {
                byte[] b = new byte[8192];
                for (int n; (n = from.read(b)) > 0; ) {
                    to.write(b, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // the process or the channel ended
            }
        }

        @Override
        public void destroy(ChannelSession channel) {
            Process p = process;
            if (p != null) {
                p.destroy(); // the process this command started, by its handle
            }
            super.destroy(channel);
        }
    }

    private static final class Agent extends Base {
        private final RouterAgent agent;

        Agent(RouterAgent agent) {
            this.agent = agent;
        }

        @Override
        int run() throws Exception {
            AgentProtocol.serve(agent, in, out);
            return 0;
        }
    }
}
