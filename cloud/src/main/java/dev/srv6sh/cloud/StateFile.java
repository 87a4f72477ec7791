package dev.srv6sh.cloud;

import dev.srv6sh.dataplane.agent.JsonText;
import dev.srv6sh.dataplane.config.Addresses;
import dev.srv6sh.dataplane.config.Prefix;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What an apply deployed, as JSON: the backend, the {@link CloudSpec} applied (read back for the
 * next plan's "observed" side) and, for people, the addresses the backend chose. No credentials.
 * It is a record, not a lock on anything: on {@code local}, the resources it names ended with the
 * process that applied them.
 */
public final class StateFile {
    private StateFile() {}

    /** The format's version; a file of another version is refused rather than misread. */
    public static final int VERSION = 1;

    /**
     * A state file read back. {@code deployment} is the backend's name for the deployment ({@link
     * Deployment#id()}: on netns, the prefix of everything it made), or null where it has none.
     */
    public record State(
            String backend,
            String script,
            Instant applied,
            CloudSpec spec,
            String deployment,
            String stack,
            String stackId,
            Map<String, String> resources) {
        public State {
            resources = resources == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(resources));
        }

        public State(String backend, String script, Instant applied, CloudSpec spec, String deployment) {
            this(backend, script, applied, spec, deployment, null, null, Map.of());
        }

        public State(String backend, String script, Instant applied, CloudSpec spec) {
            this(backend, script, applied, spec, null);
        }
    }

    /** Writes the state after an apply (atomically: a crash leaves the old file or the new one). */
    public static void write(Path path, String backend, String script, Deployment dep) throws ProviderException {
        save(path, json(backend, script, Instant.now(), dep.spec(), dep.id(), dep, null, null, Map.of()));
    }

    /**
     * Writes the state of a backend that records its resources one by one as it creates them (aws):
     * {@code stack} names the deployment, {@code resources} maps each resource's address in the stack
     * ({@code vpc/pv}, {@code eni/pr/transit}) to the cloud's ID for it. Optional fields of version 1:
     * a reader that does not know them still reads the rest. Written after each create, so the file
     * is never behind the cloud by more than one call.
     */
    public static void write(
            Path path, String backend, String script, CloudSpec spec, String stack, Map<String, String> resources)
            throws ProviderException {
        write(path, backend, script, spec, stack, null, resources);
    }

    /**
     * As {@link #write(Path, String, String, CloudSpec, String, Map)}, with {@code stackId}: the random
     * ID that tells this stack's resources from those of another stack of the same name (another
     * state file, another person) in the same account. Null for a stack made before stacks had one.
     */
    public static void write(
            Path path,
            String backend,
            String script,
            CloudSpec spec,
            String stack,
            String stackId,
            Map<String, String> resources)
            throws ProviderException {
        save(path, json(backend, script, Instant.now(), spec, stack, null, stack, stackId, resources));
    }

    private static void save(Path path, String json) throws ProviderException {
        try {
            Path abs = path.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ProviderException("cannot write the state file " + path + ": " + e.getMessage());
        }
    }

    /** The state in {@code path}, or null when there is no such file (nothing applied yet). */
    public static State read(Path path) throws ProviderException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ProviderException("cannot read the state file " + path + ": " + e.getMessage());
        }
        try {
            Map<?, ?> root = map(JsonText.parse(text), "the file");
            Object version = root.get("srv6sh_state");
            if (!(version instanceof Double v) || v != VERSION) {
                throw new IllegalArgumentException("it has no \"srv6sh_state\": " + VERSION);
            }
            Map<?, ?> spec = map(root.get("spec"), "spec");
            return new State(
                    str(root, "backend"),
                    opt(root, "script"),
                    Instant.parse(str(root, "applied")),
                    new CloudSpec(
                            list(
                                    spec,
                                    "regions",
                                    m -> new CloudSpec.Region(str(m, "name"), str(m, "kind"), opt(m, "code"))),
                            list(
                                    spec,
                                    "rtts",
                                    m -> new CloudSpec.Rtt(
                                            str(m, "a"), str(m, "b"), Duration.ofNanos(num(m, "rtt_ns")))),
                            list(
                                    spec,
                                    "vpcs",
                                    m -> new CloudSpec.Vpc(
                                            str(m, "name"),
                                            str(m, "region"),
                                            prefix(opt(m, "cidr")),
                                            opt(m, "zone"),
                                            prefix(opt(m, "ipv6")))),
                            list(
                                    spec,
                                    "hosts",
                                    m -> new CloudSpec.Host(
                                            str(m, "name"),
                                            str(m, "vpc"),
                                            address(opt(m, "ip")),
                                            opt(m, "instance_type"),
                                            opt(m, "image"))),
                            list(
                                    spec,
                                    "routers",
                                    m -> new CloudSpec.Router(
                                            str(m, "name"),
                                            str(m, "vpc"),
                                            prefix(opt(m, "locator")),
                                            opt(m, "instance_type"),
                                            opt(m, "image"),
                                            ((List<?>) m.get("attract"))
                                                    .stream()
                                                            .map(a -> Prefix.parse((String) a))
                                                            .toList()))),
                    opt(root, "deployment"),
                    opt(root, "stack"),
                    opt(root, "stack_id"),
                    root.get("resources") == null ? Map.of() : strings(map(root.get("resources"), "resources")));
        } catch (RuntimeException e) {
            throw new ProviderException("the state file " + path + " is not one srv6sh wrote (" + e.getMessage()
                    + "); move it away to plan from nothing");
        }
    }

    /** Removes the state file; false when there was none. */
    public static boolean delete(Path path) throws ProviderException {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new ProviderException("cannot remove the state file " + path + ": " + e.getMessage());
        }
    }

    static String json(String backend, String script, Instant applied, Deployment dep) {
        return json(backend, script, applied, dep.spec(), dep.id(), dep, null, null, Map.of());
    }

    private static String json(
            String backend,
            String script,
            Instant applied,
            CloudSpec s,
            String id,
            Deployment dep,
            String stack,
            String stackId,
            Map<String, String> resources) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"srv6sh_state\": ").append(VERSION).append(",\n");
        sb.append("  \"backend\": ").append(JsonText.string(backend)).append(",\n");
        sb.append("  \"script\": ").append(str(script)).append(",\n");
        sb.append("  \"applied\": ").append(JsonText.string(applied.toString())).append(",\n");
        if (id != null) {
            sb.append("  \"deployment\": ").append(JsonText.string(id)).append(",\n");
        }
        if (stack != null) {
            sb.append("  \"stack\": ").append(JsonText.string(stack)).append(",\n");
            if (stackId != null) {
                sb.append("  \"stack_id\": ").append(JsonText.string(stackId)).append(",\n");
            }
            StringJoiner j = new StringJoiner(
                    ",\n",
                    "  \"resources\": {" + (resources.isEmpty() ? "" : "\n"),
                    (resources.isEmpty() ? "" : "\n  ") + "},\n");
            new TreeMap<>(resources).forEach((k, v) -> j.add("    " + str(k) + ": " + str(v)));
            sb.append(j);
        }
        if (backend.equals("local")) {
            sb.append("  \"note\": \"the local backend's emulation ran inside the srv6sh process that applied it"
                    + " and ended with it; this file records what was applied, for the next plan\",\n");
        }
        sb.append("  \"spec\": {\n");
        sb.append(array(
                        "regions",
                        s.regions(),
                        r -> obj("name", str(r.name()), "kind", str(r.kind()), "code", str(r.code()))))
                .append(",\n");
        sb.append(array(
                        "rtts",
                        s.rtts(),
                        r -> obj(
                                "a",
                                str(r.a()),
                                "b",
                                str(r.b()),
                                "rtt_ns",
                                Long.toString(r.rtt().toNanos()))))
                .append(",\n");
        sb.append(array(
                        "vpcs",
                        s.vpcs(),
                        v -> obj(
                                "name", str(v.name()),
                                "region", str(v.region()),
                                "cidr", str(v.cidr()),
                                "zone", str(v.zone()),
                                "ipv6", str(v.ipv6()))))
                .append(",\n");
        sb.append(array(
                        "hosts",
                        s.hosts(),
                        h -> obj(
                                "name", str(h.name()),
                                "vpc", str(h.vpc()),
                                "ip", h.ip() == null ? "null" : str(Addresses.format(h.ip())),
                                "instance_type", str(h.instanceType()),
                                "image", str(h.image()))))
                .append(",\n");
        sb.append(array(
                        "routers",
                        s.routers(),
                        r -> obj(
                                "name", str(r.name()),
                                "vpc", str(r.vpc()),
                                "locator", str(r.locator()),
                                "instance_type", str(r.instanceType()),
                                "image", str(r.image()),
                                "attract",
                                        r.attract().stream()
                                                .map(StateFile::str)
                                                .toList()
                                                .toString())))
                .append(dep == null ? "\n  }\n}\n" : "\n  },\n");
        if (dep == null) {
            return sb.toString();
        }
        // What the backend chose, for people reading the file; not read back.
        sb.append("  \"deployed\": {\n");
        sb.append(array("vpcs", s.vpcs(), v -> {
                    Deployment.VpcInfo i = dep.vpc(v.name());
                    return obj(
                            "name", str(v.name()),
                            "cidr", str(i.cidr()),
                            "ipv6", str(i.ipv6()),
                            "inside", str(i.inside()),
                            "transit", str(i.transit()));
                }))
                .append(",\n");
        sb.append(array("hosts", s.hosts(), h -> {
                    HostHandle hh = dep.host(h.name());
                    return obj(
                            "name", str(h.name()),
                            "address", str(Addresses.format(hh.address())),
                            "public_address",
                                    hh.publicAddress() == null ? "null" : str(Addresses.format(hh.publicAddress())));
                }))
                .append(",\n");
        sb.append(array("routers", s.routers(), r -> {
                    RouterHandle rh = dep.router(r.name());
                    return obj(
                            "name", str(r.name()),
                            "transit_address", str(Addresses.format(rh.transitAddress())),
                            "locator", str(rh.locator()));
                }))
                .append("\n  }\n}\n");
        return sb.toString();
    }

    private static <T> String array(String name, List<T> items, Function<T, String> each) {
        StringJoiner j = new StringJoiner(
                ",\n",
                "    " + str(name) + ": [" + (items.isEmpty() ? "" : "\n"),
                (items.isEmpty() ? "" : "\n    ") + "]");
        items.forEach(t -> j.add("      " + each.apply(t)));
        return j.toString();
    }

    /** Key and already-encoded value pairs. */
    private static String obj(String... kv) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        for (int k = 0; k < kv.length; k += 2) {
            j.add(str(kv[k]) + ": " + kv[k + 1]);
        }
        return j.toString();
    }

    private static String str(Object v) {
        return v == null ? "null" : JsonText.string(v.toString());
    }

    private static Map<?, ?> map(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    private static <T> List<T> list(Map<?, ?> m, String key, Function<Map<?, ?>, T> each) {
        if (!(m.get(key) instanceof List<?> l)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a list");
        }
        List<T> out = new ArrayList<>();
        for (Object o : l) {
            out.add(each.apply(map(o, "an entry of \"" + key + "\"")));
        }
        return out;
    }

    private static String str(Map<?, ?> m, String key) {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("\"" + key + "\" is not a string");
    }

    private static Map<String, String> strings(Map<?, ?> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put((String) k, str(m, (String) k)));
        return out;
    }

    private static String opt(Map<?, ?> m, String key) {
        return m.get(key) == null ? null : str(m, key);
    }

    private static long num(Map<?, ?> m, String key) {
        if (m.get(key) instanceof Double d && d == Math.rint(d)) {
            return d.longValue();
        }
        throw new IllegalArgumentException("\"" + key + "\" is not a whole number");
    }

    private static Prefix prefix(String s) {
        return s == null ? null : Prefix.parse(s);
    }

    private static InetAddress address(String s) {
        return s == null ? null : Addresses.parse(s);
    }
}
