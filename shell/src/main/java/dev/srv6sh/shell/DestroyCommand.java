package dev.srv6sh.shell;

import dev.srv6sh.interpreter.Lifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "destroy",
        mixinStandardHelpOptions = true,
        description = {
            "Plan the deletion of everything deployed, ask for approval, then delete it.",
            "Without --auto-approve, destroy asks on a terminal and refuses (exit 2, nothing done) when stdin"
                    + " is not one.",
            "A local deployment has already ended with the process that applied it: without --state there is"
                    + " nothing to destroy; with --state PATH the plan lists what the file records, and destroy"
                    + " removes the file."
        },
        footer = {
            "",
            "Example:",
            "  srv6sh destroy scripts/quickstart.srv6 --state quickstart.state.json --auto-approve",
            "",
            LifecycleCommand.EXIT_CODES
        })
final class DestroyCommand extends LifecycleCommand {
    @Option(names = "--auto-approve", description = "destroy without asking")
    boolean autoApprove;

    @Override
    Lifecycle.Action action() {
        return Lifecycle.Action.DESTROY;
    }

    @Override
    boolean autoApprove() {
        return autoApprove;
    }
}
