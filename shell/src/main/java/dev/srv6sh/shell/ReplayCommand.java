package dev.srv6sh.shell;

import dev.srv6sh.dataplane.ConfigException;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.pcap.PcapException;
import dev.srv6sh.dataplane.pcap.PcapReplay;
import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Interpreter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Run one router's data plane, as the script configures it, over pcap input.",
            "Each --in file is received on its interface, all inputs merged in time order; Ethernet, raw IP,"
                    + " IPv4 and IPv6 link types are read, IP records getting an Ethernet header addressed to"
                    + " the interface.",
            "DIR/IFACE.pcap then holds what each interface sent, in the order the router sent it, each frame"
                    + " with the timestamp of the frame that caused it; DIR/counters.json holds the counters"
                    + " (per node, errors with reasons, interfaces, SIDs).",
            "Addresses the script leaves to the backend (locator auto, MACs) are those --backend local gives."
                    + " Nothing else in the script runs: no apply, ping or measure.",
            "Replay plays the far end of each link: it answers every ARP request and neighbor solicitation"
                    + " the router sends, at the time the router asked, from the interface's peer MAC:"
                    + " 00:00:5e:00:53:01 on inside, 00:00:5e:00:53:02 on transit (the N-th interface's is"
                    + " 00:00:5e:00:53:NN, N in hex). Packets to next hops leave with that destination MAC, and"
                    + " raw-IP records come from it. Static neighbors are the script's 'neighbor' lines only (not the emulated VPC's"
                    + " gateway and hosts). The solicitations are in DIR/IFACE.pcap; the answers, like the"
                    + " input, are not. Time is the records' time: held packets leave when the answer comes,"
                    + " and neighbor entries age (RFC 4861) as the records' timestamps advance."
        },
        footer = {
            "",
            "Example: the traffic of Paris's clients through router pr of the quickstart",
            "  srv6sh replay quickstart.srv6 --router pr --in inside=pc.pcap --out out",
            "  tshark -r out/transit.pcap -T fields -e ipv6.dst -e ipv6.routing.segleft",
            "",
            "Exit codes: 0 replayed; 2 the script does not check or an argument is wrong;",
            "3 an input cannot be read, an output cannot be written, or the data plane",
            "refused the configuration."
        })
final class ReplayCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .srv6 script")
    Path file;

    @Option(names = "--router", required = true, paramLabel = "R", description = "the router whose data plane runs")
    String router;

    @Option(
            names = "--in",
            required = true,
            paramLabel = "IFACE=IN.pcap",
            description = "a pcap file received on interface IFACE (repeatable)")
    List<String> in = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the outputs go")
    Path out;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "override a script 'param' (repeatable)")
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        try {
            return replay(stdout, err);
        } finally {
            err.flush();
            stdout.flush();
        }
    }

    private int replay(PrintWriter stdout, PrintWriter err) {
        List<PcapReplay.Input> inputs = inputs(err);
        String text = ScriptFiles.read(file, err);
        Map<String, String> p = ScriptFiles.params(params, err);
        if (inputs == null || text == null || p == null) {
            return ExitCode.SCRIPT_ERROR;
        }
        DataplaneConfig config;
        switch (Interpreter.routerConfig(file.toString(), text, p, router)) {
            case Interpreter.RouterConfig.Lowered l -> config = l.config();
            case Interpreter.RouterConfig.Failed f -> {
                err.println(f.message());
                return f.exitCode();
            }
        }
        PcapReplay.Result result;
        try {
            result = PcapReplay.run(config, inputs, out);
        } catch (IllegalArgumentException e) {
            err.println("srv6sh: replay: " + e.getMessage());
            return ExitCode.SCRIPT_ERROR;
        } catch (PcapException e) {
            err.println("srv6sh: replay: " + e.getMessage());
            return ExitCode.RUNTIME_ERROR;
        } catch (ConfigException e) {
            err.println("srv6sh: replay: router " + router + "'s configuration was refused by the data plane: "
                    + e.getMessage());
            return ExitCode.RUNTIME_ERROR;
        }
        summary(stdout, result);
        return ExitCode.OK;
    }

    /** The --in pairs; null after printing the first malformed one. */
    private List<PcapReplay.Input> inputs(PrintWriter err) {
        Map<String, PcapReplay.Input> byIface = new LinkedHashMap<>();
        for (String pair : in) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                err.println("srv6sh: --in takes IFACE=FILE, not '" + pair + "'");
                return null;
            }
            String iface = pair.substring(0, eq);
            if (byIface.containsKey(iface)) {
                err.println("srv6sh: --in names interface '" + iface + "' twice; give each interface one file");
                return null;
            }
            byIface.put(iface, new PcapReplay.Input(iface, Path.of(pair.substring(eq + 1))));
        }
        return List.copyOf(byIface.values());
    }

    private void summary(PrintWriter o, PcapReplay.Result r) {
        o.println("replay of router " + router + " (" + file + ")");
        for (PcapReplay.InputStats s : r.inputs()) {
            o.printf("  in   %-10s %8d received of %d records  %s%n", s.iface(), s.received(), s.records(), s.file());
            s.skipped().forEach((why, n) -> o.printf("       %-10s %8d skipped: %s%n", "", n, why));
        }
        if (r.outputs().isEmpty()) {
            o.println("  out  nothing was sent");
        }
        for (PcapReplay.Output x : r.outputs()) {
            o.printf("  out  %-10s %8d sent  %s%n", x.iface(), x.frames(), x.file());
        }
        for (PcapReplay.Peer p : r.peers()) {
            if (p.answered() > 0) {
                o.printf("  peer %-10s %8d ARP/ND solicitations answered from %s%n", p.iface(), p.answered(), p.mac());
            }
        }
        if (r.counters().errors().isEmpty()) {
            o.println("  drop none");
        }
        r.counters().errors().forEach((why, n) -> o.printf("  drop %8d  %s%n", n, why));
        o.println("  counters: " + r.countersFile());
    }
}
