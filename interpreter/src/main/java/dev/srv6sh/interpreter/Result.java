package dev.srv6sh.interpreter;

import dev.srv6sh.cloud.Plan;
import dev.srv6sh.dataplane.agent.CaptureSummary;
import dev.srv6sh.dataplane.agent.FibEntry;
import dev.srv6sh.dataplane.agent.NeighborEntry;
import dev.srv6sh.dataplane.agent.Traces;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.grammar.diag.Diagnostic;
import dev.srv6sh.interpreter.eval.Value;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * What running a script gives, one record per thing a person or a program would want to see: the
 * operations return these and never print, and a renderer ({@link Results}) shows them, as text or
 * as JSON lines (docs/output.md). Values are the script's own: a {@code PingResult} here is the
 * record the script's {@code let r = ping ...} gets.
 */
// A script's value is of a type the interpreter does not export: the shell hands results to this
// module's renderers without looking inside them.
@SuppressWarnings("exports")
public sealed interface Result {

    // ---- the life cycle -----------------------------------------------------------------------

    /** A plan made on {@code backend}, and why it is shown. */
    record Planned(String backend, Plan plan, Purpose purpose) implements Result {
        public enum Purpose {
            /** The {@code plan} statement: a result of its own (a JSON line). */
            PLAN,
            /** What an {@code apply} is about to carry out: its {@link Applied} is the result. */
            APPLY,
            /** {@code show plan}: to read only. */
            SHOW
        }
    }

    /** {@code apply}: the plan carried out on {@code backend}, and how many routers were programmed. */
    record Applied(String backend, Plan plan, int routers) implements Result {}

    /** {@code destroy}: everything deployed on {@code backend} is gone. */
    record Destroyed(String backend) implements Result {}

    /** A router's shell served over SSH from this apply on ({@code ssh ADDRESS:PORT}): how to reach it. */
    record ShellServed(String router, String description) implements Result {}

    // ---- show ---------------------------------------------------------------------------------

    /** {@code show topology|state}: each VPC with its hosts and routers, as the backend deployed them. */
    record Topology(List<Vpc> vpcs) implements Result {
        public Topology {
            vpcs = List.copyOf(vpcs);
        }

        /** A VPC, its IPv4 block and IPv6 block (or null), and what is in it. */
        public record Vpc(
                String name, String region, Prefix cidr, Prefix ipv6, List<Host> hosts, List<Router> routers) {
            public Vpc {
                hosts = List.copyOf(hosts);
                routers = List.copyOf(routers);
            }
        }

        /** A host's addresses: IPv4, and IPv6 and public when it has them (else null). */
        public record Host(String name, InetAddress address, InetAddress address6, InetAddress publicAddress) {}

        /** A router's transit address and locator. */
        public record Router(String name, InetAddress transit, Prefix locator) {}
    }

    /** One of a router's tables, from its agent's records: a script's {@code show} puts it under {@code router NAME:}. */
    record RouterView(String router, View view) implements Result {}

    /** A table of one router, as its agent reports it; the router shell shows it as it is. */
    sealed interface View {
        /** {@code sids}, {@code policies} or {@code steering} of the running configuration; null: not programmed yet. */
        record Program(String what, DataplaneConfig config) implements View {}

        /** {@code counters}, {@code runtime} or {@code errors}. */
        record Counters(String what, dev.srv6sh.dataplane.agent.Counters counters) implements View {}

        /** {@code fib}: every prefix installed, by table. */
        record Fib(List<FibEntry> entries) implements View {
            public Fib {
                entries = List.copyOf(entries);
            }
        }

        /** {@code neighbors}: static entries and what ARP and ND learned. */
        record Neighbors(List<NeighborEntry> entries) implements View {
            public Neighbors {
                entries = List.copyOf(entries);
            }
        }

        /** {@code interfaces} of the running configuration. */
        record Interfaces(DataplaneConfig config) implements View {}
    }

    /**
     * {@code show sids|policies|steering} of a router not applied: its program as the script declares
     * it, in the rows of the installed program's tables; what the backend allocates at {@code apply}
     * says so instead of an address.
     */
    record Candidate(String router, List<Row> rows) implements Result {
        public Candidate {
            rows = List.copyOf(rows);
        }

        /** A row of the candidate's table. */
        public sealed interface Row {}

        /** A SID: its address, behavior, and name with the behavior's arguments. */
        public record Sid(String address, String behavior, String nameAndArguments) implements Row {}

        /** A policy: binding SID, mode, name, and its SID lists with their weights. */
        public record Policy(String bsid, String mode, String name, List<String> lists) implements Row {
            public Policy {
                lists = List.copyOf(lists);
            }
        }

        /** A steering rule: what is steered, and into which policy. */
        public record Steer(String match, String policy) implements Row {}
    }

    /** {@code show sids|policies|steering} with no router declared. */
    record NoRouters() implements Result {}

    // ---- trace and capture --------------------------------------------------------------------

    /** {@code trace ROUTER [N]}: the packets that came in the {@code waited} time, and the replayed ones. */
    record Traced(String router, Traces traces, Duration waited) implements Result {}

    /** {@code capture ROUTER [IFACE] to FILE} without {@code for}: it runs until the script ends. */
    record CaptureStarted(String router, String iface, String file) implements Result {}

    /** A capture ended: what it wrote to {@code file}. {@code iface} is null for every interface. */
    record Captured(String router, String iface, String file, CaptureSummary summary) implements Result {}

    /** A capture running until the script's end could not be stopped cleanly. */
    record CaptureFailed(String router, String iface, String file, String message) implements Result {}

    // ---- probes and measurements -------------------------------------------------------------

    /** {@code ping FROM -> TO}: the {@code PingResult} the script gets. */
    record Pinged(String from, String to, boolean direct, boolean ipv6, Value result) implements Result {}

    /** {@code measure rtt FROM -> TO}: the {@code RttResult}. */
    record RttMeasured(String from, String to, boolean direct, boolean ipv6, Value result) implements Result {}

    /** {@code measure throughput PROTO FROM -> TO}: the {@code ThroughputResult}. */
    record ThroughputMeasured(String proto, String from, String to, boolean direct, Value result) implements Result {}

    // ---- what the evaluator itself reports ----------------------------------------------------

    /** {@code print VALUE}. */
    record Printed(Value value) implements Result {}

    /** A bare expression's value: in a script a result record (a ping, a measurement), in the REPL any value. */
    record Echoed(Value value) implements Result {}

    /**
     * A failed {@code expect}: where, the condition as written, both sides when it is a comparison
     * (else null), and its {@code else} message (or null).
     */
    record ExpectFailed(String file, int line, int column, String condition, Value left, Value right, Value message)
            implements Result {}

    /** {@code save}: the file written, how many rows, and its columns. */
    record Saved(String file, int rows, List<String> columns) implements Result {
        public Saved {
            columns = List.copyOf(columns);
        }
    }

    /** {@code chart}: the file written, the kind of chart, its axes' fields, and how many rows. */
    record Charted(String file, String kind, String x, String y, int rows) implements Result {}

    /**
     * How a run ended, always its last result: the exit code, how many {@code expect}s failed, and
     * the errors that ended it (of one kind), none for 0 and 1.
     */
    record Exit(int code, int failedExpects, Kind kind, List<Diagnostic> errors) implements Result {
        public Exit {
            errors = List.copyOf(errors);
        }

        /** What ended a run: the script did not parse or check, a runtime or backend error, a bug of ours. */
        public enum Kind {
            SCRIPT,
            RUNTIME,
            INTERNAL
        }
    }
}
