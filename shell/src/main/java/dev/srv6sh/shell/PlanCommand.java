package dev.srv6sh.shell;

import dev.srv6sh.interpreter.Lifecycle;
import picocli.CommandLine.Command;

@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Show what apply would change: the script's declarations are evaluated (none of its operations run)"
                    + " and compared with what is deployed, in Terraform's vocabulary: + create, ~ update,"
                    + " -/+ replace, - delete.",
            "On the local backend nothing outlives the process that applied it, so without --state the plan"
                    + " compares with nothing; with --state it compares with what the last apply recorded there."
        },
        footer = {
            "",
            "Examples:",
            "  srv6sh plan scripts/quickstart.srv6",
            "  srv6sh plan campaign.srv6 --param duration=2s --state campaign.state.json",
            "",
            LifecycleCommand.EXIT_CODES
        })
final class PlanCommand extends LifecycleCommand {
    @Override
    Lifecycle.Action action() {
        return Lifecycle.Action.PLAN;
    }
}
