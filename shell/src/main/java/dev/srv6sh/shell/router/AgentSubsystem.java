package dev.srv6sh.shell.router;

import dev.srv6sh.dataplane.agent.AgentProtocol;
import dev.srv6sh.dataplane.agent.RouterAgent;
import java.util.function.Consumer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;

/**
 * The {@code srv6sh-agent} subsystem: the management protocol ({@link AgentProtocol}) over the
 * channel, served by the router's agent, until the client closes its side; the sessions the client
 * left open close with it.
 */
final class AgentSubsystem extends ChannelCommand {
    private final RouterAgent agent;

    AgentSubsystem(RouterAgent agent, Consumer<String> log) {
        super(log);
        this.agent = agent;
    }

    @Override
    protected String what() {
        return "subsystem " + AgentProtocol.SUBSYSTEM;
    }

    @Override
    protected int run(ChannelSession channel, Environment env, String user) throws Exception {
        AgentProtocol.serve(agent, in, out);
        return 0;
    }

    static SubsystemFactory factory(RouterAgent agent, Consumer<String> log) {
        return new SubsystemFactory() {
            @Override
            public String getName() {
                return AgentProtocol.SUBSYSTEM;
            }

            @Override
            public Command createSubsystem(ChannelSession channel) {
                return new AgentSubsystem(agent, log);
            }
        };
    }
}
