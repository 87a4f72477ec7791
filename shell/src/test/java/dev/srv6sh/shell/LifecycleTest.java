package dev.srv6sh.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.interpreter.Lifecycle;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** srv6sh plan, apply and destroy: the plan in Terraform's words, approval, the state file, exit codes. */
class LifecycleTest {
    @TempDir
    Path dir;

    static final String SCRIPT = Cli.resource("lifecycle/sized.srv6");

    @Test
    void planListsEveryChangeAndRunsNoOperationOfTheScript() {
        Cli r = Cli.run("plan", SCRIPT);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("compared with what this process has deployed, which is nothing")
                .contains("  + region paris\n  + region london\n  + vpc pv\n  + vpc lv\n  + host pc\n  + host lc\n"
                        + "  + router pr\n  + router lr\n")
                .contains("Plan: 8 to add, 0 to change, 0 to destroy.")
                .contains("the deployment ends when that process exits")
                // the script's own 'apply auto' and ping do not run
                .doesNotContain("Apply complete")
                .doesNotContain("received");
    }

    @Test
    void applyAndDestroyRefuseWithoutATerminalAndDoNothing() {
        Path state = dir.resolve("s.json");
        Cli apply = Cli.run("apply", SCRIPT, "--state", state.toString());
        assertThat(apply.exit()).isEqualTo(2);
        assertThat(apply.out()).contains("Plan: 8 to add").doesNotContain("Apply complete");
        assertThat(apply.err())
                .isEqualTo("srv6sh: apply asks for approval, and stdin is not a terminal to ask on; nothing was"
                        + " done. Review the plan, then run again with --auto-approve.\n");
        assertThat(state).doesNotExist();

        Cli applied = Cli.run("apply", SCRIPT, "--state", state.toString(), "--auto-approve");
        assertThat(applied.exit()).as(applied.err()).isZero();
        Cli destroy = Cli.run("destroy", SCRIPT, "--state", state.toString());
        assertThat(destroy.exit()).isEqualTo(2);
        assertThat(destroy.out()).contains("Plan: 0 to add, 0 to change, 8 to destroy.");
        assertThat(destroy.err()).contains("destroy asks for approval, and stdin is not a terminal");
        assertThat(state).exists();
    }

    @Test
    void applyRecordsTheStateThatPlanComparesWithAndDestroyRemoves() throws Exception {
        Path state = dir.resolve("state/sized.json");
        Cli apply = Cli.run("apply", SCRIPT, "--auto-approve", "--state", state.toString());
        assertThat(apply.exit()).as(apply.err()).isZero();
        assertThat(apply.out())
                .contains("compared with the state file " + state + ", which does not exist yet")
                .contains("Apply complete: 8 added, 0 changed, 0 destroyed; 2 router(s) programmed on local.")
                .containsPattern("host pc +10\\.11\\.1\\.10, public 198\\.51\\.100\\.\\d+")
                .containsPattern("router pr +transit 2001:db8:[0-9a-f:]+, locator 2001:db8:[0-9a-f:]+/80")
                .contains("State written to " + state + ".")
                .contains("It ends now.");

        Map<?, ?> json = (Map<?, ?>) dev.srv6sh.dataplane.agent.JsonText.parse(Files.readString(state));
        assertThat(json.get("backend")).isEqualTo("local");
        assertThat(json.get("script")).isEqualTo("sized.srv6");
        Map<?, ?> spec = (Map<?, ?>) json.get("spec");
        assertThat(((List<?>) spec.get("hosts"))
                        .stream()
                                .<Object>map(h -> ((Map<?, ?>) h).get("instance_type"))
                                .toList())
                .containsExactly("t3.micro", "t3.micro");

        Cli same = Cli.run("plan", SCRIPT, "--state", state.toString());
        assertThat(same.exit()).isZero();
        assertThat(same.out()).contains("(applied ").contains("from sized.srv6").contains("No changes.");

        Cli changed = Cli.run("plan", SCRIPT, "--state", state.toString(), "--param", "client=\"t3.large\"");
        assertThat(changed.exit()).as(changed.err()).isZero();
        assertThat(changed.out())
                .contains("  -/+ host pc  (settings changed)\n")
                .contains("Plan: 0 to add, 1 to change, 0 to destroy.");

        Cli destroy = Cli.run("destroy", SCRIPT, "--state", state.toString(), "--auto-approve");
        assertThat(destroy.exit()).as(destroy.err()).isZero();
        assertThat(destroy.out())
                .contains("  - router lr\n")
                .contains("Destroy complete: 8 destroyed.")
                .contains("had already ended with the process that applied it");
        assertThat(state).doesNotExist();

        Cli again = Cli.run("destroy", SCRIPT, "--state", state.toString(), "--auto-approve");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("No changes. Nothing is deployed, so there is nothing to destroy.");
    }

    @Test
    void aDeclinedApplyDoesNothingAndSaysSo() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
                var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Lifecycle.run(
                    Lifecycle.Action.APPLY,
                    SCRIPT,
                    Cli.read(SCRIPT),
                    new Lifecycle.Options("local", Map.of(), null, action -> Lifecycle.Approval.DECLINED),
                    o,
                    e);
        }
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Plan: 8 to add")
                .doesNotContain("Apply complete");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("Apply cancelled: only 'yes' approves. Nothing was done.\n");
    }

    @Test
    void onlyYesOnATerminalApproves() {
        assertThat(ask(true, "yes\n")).isEqualTo(Lifecycle.Approval.APPROVED);
        assertThat(ask(true, "  yes  \n")).isEqualTo(Lifecycle.Approval.APPROVED);
        assertThat(ask(true, "y\n")).isEqualTo(Lifecycle.Approval.DECLINED);
        assertThat(ask(true, "YES\n")).isEqualTo(Lifecycle.Approval.DECLINED);
        assertThat(ask(true, "")).isEqualTo(Lifecycle.Approval.DECLINED);
        // a "yes" waiting in a pipe does not count: there is no terminal to ask on
        assertThat(ask(false, "yes\n")).isEqualTo(Lifecycle.Approval.CANNOT_ASK);
        var out = new ByteArrayOutputStream();
        new TerminalApprover(
                        true,
                        new BufferedReader(new StringReader("no\n")),
                        new PrintStream(out, true, StandardCharsets.UTF_8))
                .ask("destroy");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Do you want to perform these actions? srv6sh will destroy as described above.")
                .contains("Only 'yes' will be accepted to approve.")
                .endsWith("Enter a value: ");
    }

    private static Lifecycle.Approval ask(boolean terminal, String input) {
        return new TerminalApprover(
                        terminal,
                        new BufferedReader(new StringReader(input)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .ask("apply");
    }

    @Test
    void mistakesGiveTheirExitCodeAndAReason() throws Exception {
        // aws against an endpoint where nothing listens (never AWS itself): one line with the call that failed
        System.setProperty("aws.accessKeyId", "x");
        System.setProperty("aws.secretAccessKey", "x");
        System.setProperty("srv6sh.aws.maxAttempts", "1");
        try {
            Cli aws = Cli.run(
                    "plan",
                    SCRIPT,
                    "--backend",
                    "aws",
                    "--endpoint-url",
                    "http://127.0.0.1:9",
                    "--state",
                    dir.resolve("aws.json").toString());
            assertThat(aws.exit()).isEqualTo(3);
            assertThat(aws.err()).startsWith("srv6sh: sts GetCallerIdentity: ").doesNotContain("\tat ");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            System.clearProperty("srv6sh.aws.maxAttempts");
        }
        Cli url = Cli.run("plan", SCRIPT, "--backend", "aws", "--endpoint-url", "ftp://x");
        assertThat(url.exit()).isEqualTo(2);
        assertThat(url.err()).contains("'ftp://x' is not an http or https URL");
        Cli cidr = Cli.run("apply", SCRIPT, "--backend", "aws", "--operator-cidr", "everyone");
        assertThat(cidr.exit()).isEqualTo(2);
        assertThat(cidr.err()).contains("'everyone' is not a prefix");

        Cli policy = Cli.run("aws", "policy");
        assertThat(policy.exit()).isEqualTo(0);
        assertThat(policy.out())
                .startsWith("{\n  \"Version\": \"2012-10-17\"")
                .contains("\"ec2:CreateVpc\"", "\"ec2:RunInstances\"", "\"s3:PutObject\"", "\"ssm:GetParameter\"")
                .doesNotContain("\"*:*\"", "\"ec2:*\"");

        Cli bad = Cli.run("apply", Cli.resource("exit/unknown-router.srv6"), "--auto-approve");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown router 'lrr'").contains("^~~");

        Cli param = Cli.run("plan", SCRIPT, "--param", "clinet=x");
        assertThat(param.exit()).isEqualTo(2);
        assertThat(param.err()).contains("no 'param clinet'");

        Path corrupt = dir.resolve("corrupt.json");
        Files.writeString(corrupt, "{\"srv6sh_state\": 1, \"backend\": ");
        Cli c = Cli.run("plan", SCRIPT, "--state", corrupt.toString());
        assertThat(c.exit()).isEqualTo(3);
        assertThat(c.err()).startsWith("srv6sh: the state file " + corrupt + " is not one srv6sh wrote");
        assertThat(c.err()).doesNotContain("Exception");
    }
}
