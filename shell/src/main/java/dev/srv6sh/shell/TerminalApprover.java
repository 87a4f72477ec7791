package dev.srv6sh.shell;

import dev.srv6sh.interpreter.Lifecycle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Asks "Do you want to perform these actions?" as Terraform does, on a terminal only: when stdin is
 * a pipe or a file there is nobody to ask, and a line that happens to say "yes" there must not
 * approve a destroy, so the answer is {@link Lifecycle.Approval#CANNOT_ASK}.
 */
final class TerminalApprover implements Lifecycle.Approver {
    private final boolean terminal;
    private final BufferedReader in;
    private final PrintStream out;

    TerminalApprover(boolean terminal, BufferedReader in, PrintStream out) {
        this.terminal = terminal;
        this.in = in;
        this.out = out;
    }

    /** Asks on this process's terminal; {@link java.io.Console#isTerminal} needs stdin and stdout on one. */
    static TerminalApprover forThisProcess(PrintStream out) {
        var console = System.console();
        boolean terminal = console != null && console.isTerminal();
        Charset cs = console != null ? console.charset() : Charset.defaultCharset();
        return new TerminalApprover(terminal, new BufferedReader(new InputStreamReader(System.in, cs)), out);
    }

    @Override
    public Lifecycle.Approval ask(String action) {
        if (!terminal) {
            return Lifecycle.Approval.CANNOT_ASK;
        }
        out.println();
        out.println("Do you want to perform these actions? srv6sh will " + action + " as described above.");
        out.println("  Only 'yes' will be accepted to approve.");
        out.println();
        out.print("  Enter a value: ");
        out.flush();
        try {
            String line = in.readLine();
            return line != null && line.strip().equals("yes")
                    ? Lifecycle.Approval.APPROVED
                    : Lifecycle.Approval.DECLINED;
        } catch (IOException e) {
            return Lifecycle.Approval.DECLINED;
        }
    }
}
