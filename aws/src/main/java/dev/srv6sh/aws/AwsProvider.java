package dev.srv6sh.aws;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.Deployment;
import dev.srv6sh.cloud.Plan;
import dev.srv6sh.cloud.Provider;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.ProviderOptions;
import dev.srv6sh.cloud.StateFile;
import dev.srv6sh.cloud.StateLock;
import dev.srv6sh.dataplane.config.Prefix;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@code aws} backend (docs/aws.md): a script's topology as an AWS stack, reconciled the way
 * Terraform users expect. The stack is named after the script's file stem (or what its state
 * says); its state file ({@code --state}, else {@code $SRV6SH_HOME/aws/STACK/state.json}) records
 * every resource's ID and is written after each create, under a lock. {@link #plan} compares with
 * the real resources (drift included) and changes nothing; {@link #apply} creates, repairs or
 * replaces what differs and deletes what the script no longer has, and a second apply makes no
 * mutating call; {@link #destroy} deletes only
 * what carries the stack's tag and ID and is in its state, in dependency order. The ID is random,
 * made with the state: two stacks of one name in one account (two state files, two people) never
 * see, adopt or delete each other's resources.
 */
public final class AwsProvider implements Provider {
    private final ProviderOptions options;
    private final Bootstrap bootstrap;
    private final AwsClients clients;
    private final Path statePath;
    private final String stack;
    private final List<String> notices = new ArrayList<>();
    private StackState state;
    private AwsDeployment deployment;
    private boolean kept;
    private String operatorCidr;
    private String account;

    public AwsProvider(ProviderOptions options, Bootstrap bootstrap) throws ProviderException {
        this.options = options;
        this.bootstrap = bootstrap;
        StateFile.State recorded = options.state() == null ? null : StateFile.read(options.state());
        if (recorded != null && !recorded.backend().equals("aws")) {
            throw new ProviderException("the state file " + options.state() + " records a deployment on '"
                    + recorded.backend() + "', not on aws");
        }
        if (recorded != null && recorded.stack() != null) {
            this.stack = recorded.stack();
        } else if (options.script() != null) {
            this.stack = stackOf(options.script());
        } else {
            this.stack = "session"; // the REPL's: no script file to name it after
        }
        this.statePath = options.state() != null
                ? options.state()
                : home().resolve("aws").resolve(stack).resolve("state.json");
        StateFile.State st = recorded != null ? recorded : StateFile.read(statePath);
        this.state = StackState.read(statePath, stack, options.script(), st);
        sayIfLegacy();
        this.clients = new AwsClients(options);
    }

    /**
     * Reads the state file again, right after taking its lock (as Terraform does): the file read
     * when this provider was made may since have been changed by another apply or destroy. With no
     * file, the ID of the state in memory is kept (a plan shown earlier named it nowhere, but the
     * file written next carries it).
     */
    private void reread() throws ProviderException {
        StateFile.State st = StateFile.read(statePath);
        if (st != null && !st.backend().equals("aws")) {
            throw new ProviderException(
                    "the state file " + statePath + " records a deployment on '" + st.backend() + "', not on aws");
        }
        state = st == null
                ? new StackState(statePath, stack, state.stackId(), options.script(), CloudSpec.empty(), Map.of())
                : StackState.read(statePath, stack, options.script(), st);
        sayIfLegacy();
    }

    private boolean saidLegacy;

    private void sayIfLegacy() {
        if (state.legacy() && !saidLegacy) {
            saidLegacy = true;
            notice("the state " + statePath + " was written before stacks had IDs (" + Tags.STACK_ID
                    + "): it owns only the resources it records, and srv6sh adopts none by their tags for it"
                    + " (no recovery of what an interrupted apply made but did not record); destroy it and"
                    + " apply again to give the stack an ID");
        }
    }

    /** {@code quickstart} of {@code scripts/quickstart.srv6}: letters, digits and dashes. */
    static String stackOf(String script) {
        String f = Path.of(script).getFileName().toString();
        int dot = f.lastIndexOf('.');
        String stem = dot > 0 ? f.substring(0, dot) : f;
        String s = stem.replaceAll("[^A-Za-z0-9-]", "-");
        return s.isEmpty() ? "stack" : s;
    }

    private static Path home() {
        String h = System.getenv("SRV6SH_HOME");
        return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".srv6sh");
    }

    @Override
    public String name() {
        return "aws";
    }

    /** Its hosts are EC2 instances with Linux's TCP. */
    @Override
    public boolean supports(String feature) {
        return feature.equals("tcp");
    }

    @Override
    public boolean managesState() {
        return true;
    }

    /** The stack's name. */
    public String stack() {
        return stack;
    }

    /** The state file this provider keeps. */
    public Path statePath() {
        return statePath;
    }

    @Override
    public synchronized List<String> notices() {
        List<String> out = List.copyOf(notices);
        notices.clear();
        return out;
    }

    private synchronized void notice(String s) {
        notices.add(s);
    }

    @Override
    public CloudSpec observe() {
        return state.spec();
    }

    /** The changes apply would make (for the empty spec: what destroy would delete), from the real resources. */
    @Override
    public Plan plan(CloudSpec desired) {
        try {
            Reconciler rec = desired.vpcs().isEmpty()
                            && desired.hosts().isEmpty()
                            && desired.routers().isEmpty()
                    ? destroying(false)
                    : reconcile(desired, false);
            return new Plan(desired, rec.changes());
        } catch (ProviderException e) {
            throw new dev.srv6sh.cloud.ProviderFailure(e);
        }
    }

    @Override
    public Deployment apply(Plan plan) throws ProviderException {
        try (StateLock lock = lock("apply")) {
            reread();
            state.persist();
            Reconciler rec = reconcile(plan.desired(), true);
            state.spec(plan.desired());
            closeDeployment();
            deployment = new AwsDeployment(
                    plan.desired(),
                    stack,
                    infos(rec, plan.desired()),
                    List.copyOf(rec.routers.values()),
                    List.copyOf(rec.hosts.values()),
                    bootstrap,
                    rec.objects(),
                    code -> clients.in(code).ec2(),
                    bootWait(),
                    this::notice);
            notice("state: " + statePath + " (stack " + stack + ")");
            return deployment;
        }
    }

    /**
     * How long the deployment waits for its instances' bootstraps to print their host keys: minutes
     * on AWS; none with an endpoint override (moto_server runs no instance, its consoles never print one).
     */
    private Duration bootWait() {
        return clients.overridden() ? Duration.ZERO : BOOT_WAIT;
    }

    /** A router's bootstrap (Corretto, the distribution, its configuration) takes a few minutes. */
    static final Duration BOOT_WAIT = Duration.ofMinutes(20);

    private void closeDeployment() {
        if (deployment != null) {
            deployment.close();
        }
    }

    private static Map<String, Deployment.VpcInfo> infos(Reconciler rec, CloudSpec spec) {
        Map<String, Deployment.VpcInfo> out = new HashMap<>();
        spec.vpcs().forEach(v -> out.put(v.name(), rec.layout().info(v.name())));
        return out;
    }

    private StateLock lock(String operation) throws ProviderException {
        StateLock l = StateLock.acquire(statePath, operation);
        if (l.tookOver() != null) {
            notice(l.tookOver());
        }
        return l;
    }

    @Override
    public Deployment deployment() {
        return deployment;
    }

    @Override
    public void destroy() throws ProviderException {
        try (StateLock lock = lock("destroy")) {
            reread();
            destroying(true);
            closeDeployment();
            deployment = null;
        }
    }

    @Override
    public void keep() {
        kept = true;
    }

    /** A script's run ({@code srv6sh run}) ends with its stack, as on the other backends; apply keeps it. */
    @Override
    public void close() {
        try {
            if (!kept && deployment != null) {
                destroy();
            }
        } catch (ProviderException e) {
            notice("the stack " + stack + " could not be destroyed at the end of the run: " + e.getMessage()
                    + "; run srv6sh destroy");
        } finally {
            closeDeployment();
            clients.close();
        }
    }

    // ------------------------------------------------------------------ the work

    private String firstRegion(CloudSpec spec) throws ProviderException {
        for (CloudSpec.Region r : spec.regions()) {
            if (r.code() != null) {
                return r.code();
            }
        }
        throw new ProviderException("the script declares no AWS region (region NAME aws \"eu-west-3\")");
    }

    /** Who the credentials are (and that they work, before a "not found" is believed). */
    private String account(String region) throws ProviderException {
        if (account == null) {
            account = AwsCall.call("sts", "GetCallerIdentity", () -> clients.sts(region)
                    .getCallerIdentity()
                    .account());
        }
        return account;
    }

    private String operatorCidr() throws ProviderException {
        if (operatorCidr != null) {
            return operatorCidr;
        }
        if (options.operatorCidr() != null) {
            try {
                operatorCidr = Prefix.parse(options.operatorCidr()).network().toString();
            } catch (RuntimeException e) {
                throw new ProviderException(
                        "--operator-cidr " + options.operatorCidr() + " is not a prefix (such as" + " 203.0.113.7/32)");
            }
        } else if (clients.overridden()) {
            operatorCidr = "127.0.0.1/32";
            notice("SSH is opened to 127.0.0.1/32 only: with --endpoint-url and no --operator-cidr, srv6sh does not"
                    + " look up your public address");
        } else {
            operatorCidr = publicAddress() + "/32";
            notice("SSH is opened to " + operatorCidr + " only (this machine's public address, as"
                    + " checkip.amazonaws.com sees it); --operator-cidr sets another");
        }
        return operatorCidr;
    }

    private static String publicAddress() throws ProviderException {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String body = http.send(
                            HttpRequest.newBuilder(URI.create("https://checkip.amazonaws.com/"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .strip();
            return dev.srv6sh.dataplane.config.Addresses.format(dev.srv6sh.dataplane.config.Addresses.parse(body));
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new ProviderException("cannot learn this machine's public address (checkip.amazonaws.com: " + why
                    + "); give --operator-cidr with the address SSH should be open to");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted");
        }
    }

    private Reconciler reconcile(CloudSpec desired, boolean apply) throws ProviderException {
        Layout.check(desired);
        if (apply) {
            // a missing key pair or distribution stops the apply here, before anything is made
            bootstrap.publicKey(stack);
            if (!desired.routers().isEmpty()) {
                bootstrap.distribution();
            }
        }
        String first = firstRegion(desired);
        Reconciler rec =
                new Reconciler(stack, desired, state, clients, bootstrap, apply, operatorCidr(), account(first), first);
        rec.bucket();
        Map<String, List<CloudSpec.Vpc>> regions = rec.regions();
        Map<String, Reconciler.Region> work = new java.util.concurrent.ConcurrentHashMap<>();
        parallel(regions.keySet(), code -> {
            Reconciler.REGION.set(code);
            Reconciler.Region r = rec.new Region(code, regions.get(code));
            work.put(code, r);
            r.network();
        });
        // the VPCs the script no longer has, here or in a region it left: rules and routes toward them go
        List<String> left = new ArrayList<>();
        state.spec().regions().forEach(r -> {
            if (r.code() != null && !regions.containsKey(r.code()) && !left.contains(r.code())) {
                left.add(r.code());
            }
        });
        parallel(
                left,
                code -> rec.snapshots.put(code, Snapshot.read(clients.in(code).ec2(), stack, state)));
        rec.snapshots.forEach((code, snap) -> {
            Set<String> want = rec.wanted(code);
            snap.vpcs.forEach((a, v) -> {
                if (!want.contains(a)) {
                    rec.retired.addAll(Reconciler.cidrs(v));
                }
            });
        });
        Layout layout = new Layout(desired, rec.blocks);
        if (rec.blocks
                .keySet()
                .containsAll(desired.vpcs().stream().map(CloudSpec.Vpc::name).toList())) {
            layout.checkAddresses(desired);
        }
        rec.layout(layout);
        parallel(regions.keySet(), code -> {
            Reconciler.REGION.set(code);
            work.get(code).compute();
        });
        removed(rec, regions.keySet());
        return rec;
    }

    /**
     * What the stack has and the script no longer asks for (a router, host or VPC taken out of it, a
     * region left): planned as {@code -}, deleted by apply in the {@link Destroyer}'s order, in the
     * script's regions and in those the state's last spec still names. It runs after the rest, once
     * the routes that led to a removed router's ENIs are gone. State entries of what is already gone
     * (an apply interrupted between a delete and its state write) are dropped.
     */
    private void removed(Reconciler rec, Collection<String> desiredRegions) throws ProviderException {
        List<String> codes = new ArrayList<>(desiredRegions);
        state.spec().regions().forEach(r -> {
            if (r.code() != null && !codes.contains(r.code())) {
                codes.add(r.code());
            }
        });
        Map<String, Set<String>> wanted = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Snapshot> snaps = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> orphans = java.util.Collections.synchronizedList(new ArrayList<>());
        parallel(codes, code -> {
            Reconciler.REGION.set(code);
            AwsClients.Regional c = clients.in(code);
            Set<String> want = rec.wanted(code);
            wanted.put(code, want);
            Snapshot snap = rec.snapshots.get(code);
            if (snap == null) {
                snap = Snapshot.read(c.ec2(), stack, state);
            }
            snaps.put(code, snap);
            Destroyer d = new Destroyer(
                    stack, state, c, snap, rec, a -> !want.contains(a), Plan.Action.DELETE, "no longer in the script");
            d.run(rec.apply);
            orphans.addAll(d.orphans);
        });
        for (String o : orphans) {
            notice("left alone: " + o + " carries the stack's tag but is not in its state " + statePath);
        }
        if (!rec.apply) {
            return;
        }
        Set<String> anywhere = new java.util.HashSet<>();
        wanted.values().forEach(anywhere::addAll);
        for (String a : state.ids().keySet()) {
            String of = a.startsWith("token/") ? a.substring("token/".length()) : a;
            if (a.equals("bucket") || anywhere.contains(of)) {
                continue;
            }
            if (snaps.values().stream().noneMatch(sn -> sn.has(of))) {
                state.remove(a);
            }
        }
    }

    /** Plans (apply false) or carries out the stack's destruction, region by region, then the bucket. */
    private Reconciler destroying(boolean apply) throws ProviderException {
        CloudSpec recorded = state.spec();
        if (state.isEmpty()) {
            return new Reconciler(stack, recorded, state, clients, bootstrap, apply, "127.0.0.1/32", "0", "us-east-1");
        }
        String first = firstRegion(recorded);
        Reconciler rec = new Reconciler(
                stack, recorded, state, clients, bootstrap, apply, "127.0.0.1/32", account(first), first);
        List<String> codes = new ArrayList<>();
        recorded.regions().forEach(r -> {
            if (r.code() != null && !codes.contains(r.code())) {
                codes.add(r.code());
            }
        });
        List<String> orphans = java.util.Collections.synchronizedList(new ArrayList<>());
        parallel(codes, code -> {
            Reconciler.REGION.set(code);
            AwsClients.Regional c = clients.in(code);
            Destroyer d = new Destroyer(stack, state, c, Snapshot.read(c.ec2(), stack, state), rec);
            d.run(apply);
            orphans.addAll(d.orphans);
        });
        Destroyer.bucket(rec, state, clients.in(first), apply);
        for (String o : orphans) {
            notice("left alone: " + o + " carries the stack's tag but is not in its state " + statePath);
        }
        if (apply) {
            Map<String, String> left = new HashMap<>(state.ids());
            left.keySet().removeIf(a -> a.startsWith("token/") || a.startsWith("eni/") && a.endsWith("/primary"));
            if (left.isEmpty()) {
                try {
                    Files.deleteIfExists(statePath);
                } catch (IOException e) {
                    throw new ProviderException("cannot remove the state file " + statePath + ": " + e.getMessage());
                }
                state = StackState.read(statePath, stack, options.script(), null);
            } else {
                notice("the state " + statePath + " still records " + left.keySet()
                        + " (deleted outside srv6sh, or in a region the state no longer names)");
            }
        }
        return rec;
    }

    @FunctionalInterface
    interface RegionTask {
        void run(String region) throws ProviderException;
    }

    /** Runs {@code task} for every region at once (a virtual thread each); the first failure is thrown. */
    static void parallel(Collection<String> regions, RegionTask task) throws ProviderException {
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String r : regions) {
                futures.add(ex.submit(() -> {
                    task.run(r);
                    return null;
                }));
            }
        }
        ProviderException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                ProviderException pe = e.getCause() instanceof ProviderException p
                        ? p
                        : new ProviderException(String.valueOf(e.getCause().getMessage()), e.getCause());
                if (first == null) {
                    first = pe;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("interrupted");
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
