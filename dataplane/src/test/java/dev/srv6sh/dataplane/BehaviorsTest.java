package dev.srv6sh.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.dataplane.BehaviorSpec.Param;
import dev.srv6sh.dataplane.agent.PacketTrace;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.DataplaneConfig.Arg;
import dev.srv6sh.dataplane.config.DataplaneConfig.Flavor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The registry holds every behavior whole, and the data plane needs nothing else to run one: each
 * spec is complete, its node is in every engine right after sr-localsid, and a SID of it compiles,
 * is dispatched to that node and traced there from the spec alone, with its arguments checked by
 * their kinds. A new behavior is held to all of it by being listed. (The shell's tests hold the
 * language, completion, :help and docs/language.md to the same specs.)
 */
class BehaviorsTest {
    /** A value of each kind that the harness's configuration resolves. */
    private static Arg sample(BehaviorSpec.Kind kind) {
        return switch (kind) {
            case IPV4_NEXT_HOP -> Arg.of(Addresses.parse("198.51.100.2"));
            case IPV6_NEXT_HOP -> Arg.of(Addresses.parse("2001:db8:2::2"));
            case TABLE -> Arg.of(9);
            case INTERFACE -> Arg.of("out");
            case POLICY -> Arg.of("p");
            case FLAVORS, BITS, BOOL -> throw new IllegalArgumentException(kind + " is no argument");
        };
    }

    /** Behavior i's SID: every argument given, every flavor it takes; its argument bits are zero (NEXT-CSID). */
    private static DataplaneConfig.Sid sid(int i, String behavior, List<Param> args, Set<Flavor> flavors) {
        Map<String, Arg> values = new LinkedHashMap<>();
        args.forEach(p -> values.put(p.key(), sample(p.kind())));
        return new DataplaneConfig.Sid(
                        "s" + i, Addresses.parse6("a3:0:" + Integer.toHexString(i + 1) + "::"), behavior, values)
                .withFlavors(flavors);
    }

    private static DataplaneConfig config(List<DataplaneConfig.Sid> sids) {
        return Harness.config(
                sids, List.of(Harness.policy("p", DataplaneConfig.PolicyMode.ENCAP, "a8::", "a9::")), List.of());
    }

    @Test
    void everySpecIsComplete() {
        assertThat(Behaviors.all()).isNotEmpty();
        Set<String> names = new HashSet<>();
        for (BehaviorSpec b : Behaviors.all()) {
            assertThat(names.add(b.name().toLowerCase(Locale.ROOT)))
                    .as("%s once", b.name())
                    .isTrue();
            assertThat(b.name()).as("an RFC name").matches("End(\\.[A-Za-z0-9]+)*");
            assertThat(b.node()).as("a kebab-case node name").matches("end(-[a-z0-9]+)*");
            assertThat(b.reference()).as("%s's reference", b.name()).matches("(RFC \\d+ §|draft-).*");
            assertThat(b.summary()).isNotBlank().doesNotEndWith(".");
            for (Param p : b.params()) {
                assertThat(p.help()).as("%s %s's help", b.name(), p.key()).isNotBlank();
                assertThat(b.param(p.key())).isEqualTo(p);
            }
            // the example is a sid statement of this behavior, with keys it takes and every one it needs
            List<String> words = Arrays.asList(b.example().split(" "));
            assertThat(words.subList(0, 3)).as(b.example()).satisfies(w -> {
                assertThat(w.get(0)).isEqualTo("sid");
                assertThat(w.get(2)).isEqualTo(b.name());
            });
            List<String> keys = IntStream.iterate(3, k -> k < words.size(), k -> k + 2)
                    .mapToObj(words::get)
                    .toList();
            assertThat(keys).as(b.example()).allSatisfy(k -> assertThat(b.param(k))
                    .isNotNull());
            assertThat(keys)
                    .as(b.example())
                    .containsAll(b.params().stream()
                            .filter(Param::required)
                            .map(Param::key)
                            .toList());
            assertThat(Behaviors.byName(b.name().toUpperCase(Locale.ROOT))).isSameAs(b);
            b.aliases().forEach(a -> assertThat(Behaviors.byName(a)).isSameAs(b));
        }
        assertThat(Behaviors.byName("End.DT2")).isNull();
    }

    @Test
    void everyBehaviorHasItsNodeInTheEngineRightAfterSrLocalsid() {
        try (Engine e = new Engine("t", Clock.SYSTEM, MemoryPort.FACTORY)) {
            Set<String> nodeNames = new HashSet<>();
            for (int id = 0; id < Node.count(); id++) {
                assertThat(nodeNames.add(e.node(id).name))
                        .as("node %s once", e.node(id).name)
                        .isTrue();
            }
            List<Integer> order = Arrays.stream(Node.dispatchOrder()).boxed().toList();
            int after = order.indexOf(Node.SR_LOCALSID);
            for (int i = 0; i < Behaviors.count(); i++) {
                BehaviorSpec b = Behaviors.all().get(i);
                Node n = e.node(Behaviors.node(b));
                assertThat(n.name).isEqualTo(b.node());
                assertThat(n.atSid).as("%s counts against its SID", b.node()).isTrue();
                assertThat(order.get(after + 1 + i)).isEqualTo(Behaviors.node(b));
            }
        }
    }

    @Test
    void aSidOfEveryBehaviorCompilesFromItsSpecAndRunsInItsNode() throws Exception {
        List<DataplaneConfig.Sid> sids = new ArrayList<>();
        for (BehaviorSpec b : Behaviors.all()) {
            sids.add(sid(sids.size(), b.name(), b.arguments(), b.flavors()));
            for (String alias : b.aliases()) {
                sids.add(sid(sids.size(), alias, b.arguments(), b.flavors()));
            }
        }
        try (Harness h = new Harness(config(sids))) {
            h.engine.trace(sids.size());
            for (DataplaneConfig.Sid s : sids) {
                h.send(Packets.udp6("2001:db8:9::1", Addresses.format(s.address()), 64, 8));
            }
            List<PacketTrace> traces = h.engine.traces();
            assertThat(traces).hasSize(sids.size());
            for (int i = 0; i < sids.size(); i++) {
                BehaviorSpec b = Behaviors.byName(sids.get(i).behavior());
                String shown = b.name() + " s" + i;
                String fib = "SID s" + i + " " + b.name();
                assertThat(h.engine.fib())
                        .anySatisfy(f -> assertThat(f.result()).isEqualTo(fib));
                assertThat(h.engine.counters().sids().get(i).behavior()).isEqualTo(b.name());
                // sr-localsid dispatched it to the spec's node, whose trace line names the SID by its spec
                assertThat(traces.get(i).steps())
                        .anySatisfy(step -> assertThat(step.toString()).startsWith(b.node() + ": " + shown + ", "));
            }
        }
    }

    @Test
    void argumentsAreCheckedByTheirKindsNamingTheSid() {
        try (Engine e = new Engine("t", Clock.SYSTEM, MemoryPort.FACTORY)) {
            for (BehaviorSpec b : Behaviors.all()) {
                String what = "sid s0 (a3:0:1::): " + b.name();
                for (Param p : b.arguments()) {
                    List<Param> others = new ArrayList<>(b.arguments());
                    others.remove(p);
                    if (p.required()) {
                        assertThatThrownBy(() -> e.apply(config(List.of(sid(0, b.name(), others, Set.of())))))
                                .isInstanceOf(ConfigException.class)
                                .hasMessage(what + " needs " + p.kind().description() + " (" + p.key() + ")");
                    }
                    Map<String, Arg> wrong = new LinkedHashMap<>(
                            sid(0, b.name(), b.arguments(), Set.of()).args());
                    wrong.put(p.key(), p.kind() == BehaviorSpec.Kind.TABLE ? Arg.of("nine") : Arg.of(7));
                    DataplaneConfig.Sid misgiven =
                            new DataplaneConfig.Sid("s0", Addresses.parse6("a3:0:1::"), b.name(), wrong);
                    assertThatThrownBy(() -> e.apply(config(List.of(misgiven))))
                            .isInstanceOf(ConfigException.class)
                            .hasMessageStartingWith(what + " needs " + p.kind().description() + " (" + p.key() + ")");
                }
                Map<String, Arg> extra = new LinkedHashMap<>(
                        sid(0, b.name(), b.arguments(), Set.of()).args());
                extra.put("bogus", Arg.of(1));
                DataplaneConfig.Sid bogus =
                        new DataplaneConfig.Sid("s0", Addresses.parse6("a3:0:1::"), b.name(), extra);
                assertThatThrownBy(() -> e.apply(config(List.of(bogus))))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageStartingWith(what + " takes no argument 'bogus'");
                for (Flavor f : Flavor.values()) {
                    if (!b.flavors().contains(f)) {
                        List<String> takers = Behaviors.all().stream()
                                .filter(x -> x.flavors().contains(f))
                                .map(BehaviorSpec::name)
                                .toList();
                        assertThatThrownBy(() -> e.apply(config(List.of(sid(0, b.name(), b.arguments(), Set.of(f))))))
                                .isInstanceOf(ConfigException.class)
                                .hasMessageContaining(takers.getLast() + " (RFC");
                    }
                }
            }
            assertThatThrownBy(() -> e.apply(config(List.of(sid(0, "End.DT2", List.of(), Set.of())))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("sid s0 (a3:0:1::): End.DT2 is not implemented by this version of the data plane");
        }
    }
}
