package dev.srv6sh.shell;

import dev.srv6sh.interpreter.Lifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Plan, ask for approval, then deploy the script's topology and program every router with its"
                    + " SRv6 program. None of the script's operations run (use 'srv6sh run' for those).",
            "Without --auto-approve, apply asks \"Do you want to perform these actions?\" on a terminal and"
                    + " refuses (exit 2, nothing done) when stdin is not one.",
            "The local backend emulates the topology inside this process: apply deploys it, programs the"
                    + " routers, reports the addresses chosen, and the deployment ends when srv6sh exits."
                    + " --state PATH records what was applied, for a later 'plan --state PATH'."
        },
        footer = {
            "",
            "Examples:",
            "  srv6sh apply scripts/quickstart.srv6",
            "  srv6sh apply scripts/quickstart.srv6 --auto-approve --state quickstart.state.json",
            "  srv6sh apply scripts/quickstart.srv6 --auto-approve --seed 7",
            "",
            LifecycleCommand.EXIT_CODES
        })
final class ApplyCommand extends LifecycleCommand {
    @Option(names = "--auto-approve", description = "apply without asking")
    boolean autoApprove;

    @Override
    Lifecycle.Action action() {
        return Lifecycle.Action.APPLY;
    }

    @Override
    boolean autoApprove() {
        return autoApprove;
    }
}
