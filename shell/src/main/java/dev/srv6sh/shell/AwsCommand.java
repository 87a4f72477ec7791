package dev.srv6sh.shell;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.Providers;
import dev.srv6sh.interpreter.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code srv6sh aws policy}: what the aws backend needs of AWS. */
@Command(
        name = "aws",
        mixinStandardHelpOptions = true,
        description = "What the aws backend needs of AWS (docs/aws.md).",
        subcommands = AwsCommand.Policy.class,
        footer = {
            "",
            "Example:",
            "  srv6sh aws policy",
            "",
            "Exit codes: 0 done, 2 no subcommand or a wrong one, 3 the aws backend is not in this build."
        })
final class AwsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.SCRIPT_ERROR;
    }

    @Command(
            name = "policy",
            mixinStandardHelpOptions = true,
            description = {
                "Print the least-privilege IAM policy (JSON) that the aws backend needs: exactly the actions it"
                        + " calls for plan, apply and destroy.",
                "Attach it to the role or user whose credentials srv6sh uses (--profile, or the SDK's default"
                        + " chain)."
            },
            footer = {
                "",
                "Example:",
                "  srv6sh aws policy > srv6sh-policy.json",
                "  aws iam create-policy --policy-name srv6sh --policy-document file://srv6sh-policy.json",
                "",
                "Exit codes: 0 printed, 3 the aws backend is not in this build."
            })
    static final class Policy implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                String policy = Providers.policy("aws");
                spec.commandLine().getOut().print(policy);
                spec.commandLine().getOut().flush();
                return ExitCode.OK;
            } catch (ProviderException e) {
                spec.commandLine().getErr().println("srv6sh: " + e.getMessage());
                return ExitCode.RUNTIME_ERROR;
            }
        }
    }
}
