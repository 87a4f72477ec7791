package dev.srv6sh.aws;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.netns.Keys;
import dev.srv6sh.cloud.netns.RouterLauncher;
import dev.srv6sh.cloud.ssh.SshAgentClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * The bootstrap on Amazon Linux 2023 with cloud-init (docs/aws.md, Bootstrap).
 *
 * <p>User-data is one {@code #cloud-config} document rather than a MIME multipart with a shell
 * script: cloud-init itself writes the files (the environment, the scripts, the systemd unit) with
 * their modes, so no URL or key passes through a here-document's quoting, and one part is the
 * smallest for EC2's 16 KB. Its {@code runcmd} then runs the one bootstrap script, once per
 * instance, after the network is up: packages, the distribution, the configuration, the service.
 *
 * <p>What it holds, and nothing else: names, MAC addresses, public keys, the JVM's options and
 * presigned GET URLs (which carry the access key's ID, never its secret, and expire; see {@link
 * Distribution}). The console output it makes the instance print is parsed back here: the router's
 * host key between {@value #BEGIN} and {@value #END}, cloud-init's own block, and a failure line.
 */
public final class CloudInitBootstrap implements Bootstrap {
    /** EC2's limit on user-data, before base64. */
    public static final int USER_DATA_LIMIT = 16 * 1024;

    /** The stack's private key, in {@code $SRV6SH_HOME/aws/STACK/}. */
    public static final String KEY_FILE = "id_ed25519";

    /** The longest a router waits for its configuration object (never longer than its URL lives). */
    public static final Duration MAX_CONFIG_WAIT = Duration.ofMinutes(30);

    /** The markers of the block srv6sh's bootstrap prints (built at run time on the instance). */
    public static final String BEGIN = "-----BEGIN SRV6SH HOST KEYS-----";

    public static final String END = "-----END SRV6SH HOST KEYS-----";

    /** cloud-init's own block of the instance's sshd keys ({@code ssh_key_console_blacklist} aside). */
    static final String CLOUD_INIT_BEGIN = "-----BEGIN SSH HOST KEY KEYS-----";

    static final String CLOUD_INIT_END = "-----END SSH HOST KEY KEYS-----";

    /** What the bootstrap prints when it gives up, then the reason. */
    public static final String FAILED = "SRV6SH BOOTSTRAP FAILED: ";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(?::[0-9a-f]{2}){5}");
    private static final Pattern DIST_SHA256 = Pattern.compile("srv6sh-([0-9a-f]{64})\\.tar\\.gz$");
    private static final Pattern EXPIRES = Pattern.compile("(?:^|&)X-Amz-Expires=(\\d{1,9})(?:&|$)");
    private static final Pattern KEY_LINE = Pattern.compile(
            "(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa)\\s+(AAAA[A-Za-z0-9+/]+={0,3})(?![A-Za-z0-9+/=])");
    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private final Path home;

    /** Keys under {@code $SRV6SH_HOME} ({@code ~/.srv6sh} by default), as the other backends keep theirs. */
    public CloudInitBootstrap() {
        this(defaultHome());
    }

    public CloudInitBootstrap(Path home) {
        this.home = home;
    }

    /** {@code $SRV6SH_HOME}, or {@code ~/.srv6sh}. */
    public static Path defaultHome() {
        String h = System.getenv("SRV6SH_HOME");
        return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".srv6sh");
    }

    /** The stack's directory: its key pair (0700). */
    public Path dir(String stack) {
        return home.resolve("aws").resolve(stack);
    }

    @Override
    public Path privateKey(String stack) {
        return dir(stack).resolve(KEY_FILE);
    }

    @Override
    public synchronized String publicKey(String stack) throws ProviderException {
        return Keys.publicLine(identity(stack), comment(stack));
    }

    /**
     * The stack's key pair: read from {@link #privateKey} when it exists (refused if others may read
     * it, as OpenSSH refuses such a key), else made there, ed25519, with its {@code .pub} beside it.
     */
    public synchronized KeyPair identity(String stack) throws ProviderException {
        name("stack", stack);
        Path file = privateKey(stack);
        try {
            Keys.ownerOnlyDir(dir(stack));
        } catch (IOException | UnsupportedOperationException e) {
            throw new ProviderException("cannot make " + dir(stack) + " for the stack's key pair: " + e.getMessage());
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (perms.stream().anyMatch(OTHERS::contains)) {
                    throw new ProviderException("the stack's private key " + file + " is accessible by others ("
                            + PosixFilePermissions.toString(perms) + "): chmod 600 " + file);
                }
                return SshAgentClient.identity(file);
            } catch (IOException e) {
                throw new ProviderException("cannot read the stack's private key " + file + ": " + e.getMessage()
                        + " (remove it to make a new key pair, and destroy the stack's old key pairs first)");
            }
        }
        KeyPair kp = Keys.make(file, "ssh-ed25519", 256, comment(stack));
        Path pub = file.resolveSibling(KEY_FILE + ".pub");
        try {
            Files.writeString(
                    pub,
                    Keys.publicLine(kp, comment(stack)) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ProviderException("cannot write " + pub + ": " + e.getMessage());
        }
        return kp;
    }

    private static String comment(String stack) {
        return "srv6sh-" + stack;
    }

    @Override
    public String routerUserData(RouterBoot boot) throws ProviderException {
        name("stack", boot.stack());
        name("router", boot.router());
        name("region", boot.region());
        String mgmt = mac("management", boot.managementMac());
        String inside = mac("inside", boot.insideMac());
        String transit = mac("transit", boot.transitMac());
        String dist = url("distribution", boot.distribution());
        String config = url("configuration", boot.configuration());
        Matcher sha = DIST_SHA256.matcher(boot.distribution().getPath());
        String key = publicKey(boot.stack());

        String routerEnv = env(
                "SRV6SH_STACK", boot.stack(),
                "SRV6SH_ROUTER", boot.router(),
                "SRV6SH_REGION", boot.region(),
                "SRV6SH_MGMT_MAC", mgmt,
                "SRV6SH_INSIDE_MAC", inside,
                "SRV6SH_TRANSIT_MAC", transit,
                "SRV6SH_SSH_PORT", Integer.toString(ROUTER_SSH_PORT));
        String fetchEnv = env(
                "SRV6SH_DIST_URL",
                dist,
                "SRV6SH_DIST_SHA256",
                sha.find() ? sha.group(1) : "",
                "SRV6SH_CONFIG_URL",
                config,
                "SRV6SH_CONFIG_WAIT",
                Long.toString(configWait(boot.configuration())));
        List<String> opts = new ArrayList<>();
        for (String o : (RouterLauncher.GC + " " + RouterLauncher.JIT).split("\\s+")) {
            opts.add(quote(o));
        }
        String run = resource("router-run.sh")
                .replace("@JAVA_OPTS@", String.join(" ", opts))
                .replace("@NATIVE_ACCESS@", RouterLauncher.NATIVE_ACCESS);
        String unit = resource("srv6sh-router.service")
                .replace("@ROUTER@", boot.router())
                .replace("@STACK@", boot.stack());

        StringBuilder y = header("router " + boot.router(), boot.stack(), boot.region(), key);
        file(y, "/etc/srv6sh/router.env", "0644", routerEnv);
        file(y, "/etc/srv6sh/fetch.env", "0600", fetchEnv);
        file(y, "/etc/srv6sh/authorized_keys", "0644", key + "\n");
        file(y, "/usr/local/libexec/srv6sh/lib.sh", "0644", resource("lib.sh"));
        file(y, "/usr/local/libexec/srv6sh/bootstrap", "0755", resource("router-bootstrap.sh"));
        file(y, "/usr/local/libexec/srv6sh/links", "0755", resource("router-links.sh"));
        file(y, "/usr/local/libexec/srv6sh/run", "0755", run);
        file(y, "/etc/systemd/system/srv6sh-router.service", "0644", unit);
        return footer(y, "router " + boot.router());
    }

    @Override
    public String hostUserData(HostBoot boot) throws ProviderException {
        name("stack", boot.stack());
        name("host", boot.host());
        name("region", boot.region());
        String key = publicKey(boot.stack());
        String script =
                resource("host-bootstrap.sh").replace("@HOST@", boot.host()).replace("@STACK@", boot.stack());
        StringBuilder y = header("host " + boot.host(), boot.stack(), boot.region(), key);
        file(y, "/usr/local/libexec/srv6sh/lib.sh", "0644", resource("lib.sh"));
        file(y, "/usr/local/libexec/srv6sh/bootstrap", "0755", script);
        return footer(y, "host " + boot.host());
    }

    private static StringBuilder header(String what, String stack, String region, String key) {
        StringBuilder y = new StringBuilder(8192);
        y.append("#cloud-config\n");
        y.append("# srv6sh: ")
                .append(what)
                .append(" of stack ")
                .append(stack)
                .append(" in ")
                .append(region);
        y.append(" (docs/aws.md, Bootstrap). Presigned URLs and public keys only.\n");
        y.append("ssh_authorized_keys:\n  - \"").append(key).append("\"\n");
        y.append("write_files:\n");
        return y;
    }

    private static String footer(StringBuilder y, String what) throws ProviderException {
        y.append("runcmd:\n  - [/usr/local/libexec/srv6sh/bootstrap]\n");
        String text = y.toString();
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > USER_DATA_LIMIT) {
            throw new ProviderException("the user-data of " + what + " is " + size + " bytes, over EC2's limit of "
                    + USER_DATA_LIMIT + " (are its presigned URLs unusually long?)");
        }
        return text;
    }

    /** One {@code write_files} entry: {@code content} as a literal block, indented. */
    private static void file(StringBuilder y, String path, String mode, String content) {
        if (content.startsWith(" ") || content.startsWith("\n")) {
            // a block scalar takes its indentation from its first line
            throw new IllegalStateException(path + ": content must not start with a blank");
        }
        y.append("  - path: ").append(path).append('\n');
        y.append("    owner: root:root\n");
        y.append("    permissions: '").append(mode).append("'\n");
        y.append("    content: |\n");
        String body = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        for (String line : body.split("\n", -1)) {
            y.append(line.isEmpty() ? "" : "      ").append(line).append('\n');
        }
    }

    /** {@code K='V'} lines that bash sources. */
    private static String env(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            b.append(kv[i]).append('=').append(quote(kv[i + 1])).append('\n');
        }
        return b.toString();
    }

    /** {@code s} as one word of bash, in single quotes. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * How long a router waits for its configuration: {@link #MAX_CONFIG_WAIT}, or less when its URL
     * expires sooner ({@code X-Amz-Expires}), since waiting longer can only end in a 403.
     */
    static long configWait(URI configuration) {
        long wait = MAX_CONFIG_WAIT.toSeconds();
        String q = configuration.getRawQuery();
        Matcher m = q == null ? null : EXPIRES.matcher(q);
        if (m != null && m.find()) {
            wait = Math.min(wait, Math.max(60, Long.parseLong(m.group(1))));
        }
        return wait;
    }

    private static void name(String what, String value) throws ProviderException {
        if (value == null || !NAME.matcher(value).matches() || value.contains("..")) {
            throw new ProviderException("the " + what + " name '" + value + "' cannot name files on an instance:"
                    + " letters, digits, '.', '_' and '-', at most 63, starting with a letter or digit");
        }
    }

    private static String mac(String which, String value) throws ProviderException {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (!MAC.matcher(v).matches()) {
            throw new ProviderException("the " + which + " ENI's MAC address '" + value + "' is not aa:bb:cc:dd:ee:ff");
        }
        return v;
    }

    private static String url(String which, URI value) throws ProviderException {
        String s = value == null ? "" : value.toString();
        boolean web = value != null
                && value.isAbsolute()
                && ("https".equals(value.getScheme()) || "http".equals(value.getScheme()))
                && value.getHost() != null;
        if (!web || s.chars().anyMatch(c -> c <= ' ' || c == '\'' || c == '"' || c == '\\' || c >= 0x7f)) {
            throw new ProviderException("the " + which + " URL is not a plain http(s) URL: " + abbreviate(s));
        }
        return s;
    }

    private static String abbreviate(String s) {
        int q = s.indexOf('?');
        String shown = q >= 0 ? s.substring(0, q) + "?..." : s; // a presigned query is not for logs
        return shown.length() > 120 ? shown.substring(0, 120) + "..." : shown;
    }

    private static String resource(String name) {
        try (InputStream in = CloudInitBootstrap.class.getResourceAsStream("cloudinit/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource cloudinit/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> hostKeys(String consoleOutput) {
        Set<String> keys = new LinkedHashSet<>(block(consoleOutput, BEGIN, END));
        keys.addAll(block(consoleOutput, CLOUD_INIT_BEGIN, CLOUD_INIT_END));
        return List.copyOf(keys);
    }

    @Override
    public Optional<String> routerHostKey(String consoleOutput) {
        return block(consoleOutput, BEGIN, END).stream().findFirst();
    }

    /**
     * Why the bootstrap gave up, when it printed {@link #FAILED} after its last host key block: the
     * provider stops waiting and says so, instead of waiting for a router that will not come.
     */
    @Override
    public Optional<String> failure(String consoleOutput) {
        return bootstrapFailure(consoleOutput);
    }

    /** {@link #failure}, for a console read without an instance of this class. */
    public static Optional<String> bootstrapFailure(String consoleOutput) {
        String reason = null;
        for (String line : lines(consoleOutput)) {
            int at = line.indexOf(FAILED);
            if (at >= 0) {
                reason = line.substring(at + FAILED.length()).strip();
            } else if (line.contains(END)) {
                reason = null;
            }
        }
        return Optional.ofNullable(reason);
    }

    /**
     * The keys of the last complete block between {@code begin} and {@code end}, as {@code TYPE
     * BASE64} lines, each a key that parses and whose type is the one its line names. Whatever shares
     * the console (prefixes such as {@code ec2: } or a kernel timestamp, lines of other programs, a
     * block cut short) is passed over.
     */
    static List<String> block(String console, String begin, String end) {
        List<String> last = List.of();
        List<String> current = null;
        for (String line : lines(console)) {
            if (line.contains(begin)) {
                current = new ArrayList<>();
            } else if (line.contains(end)) {
                if (current != null) {
                    last = current;
                }
                current = null;
            } else if (current != null) {
                Matcher m = KEY_LINE.matcher(line);
                while (m.find()) {
                    String key = m.group(1) + " " + m.group(2);
                    if (valid(m.group(1), key) && !current.contains(key)) {
                        current.add(key);
                    }
                }
            }
        }
        return List.copyOf(last);
    }

    private static boolean valid(String type, String line) {
        try {
            PublicKey k = SshAgentClient.publicKey(line);
            return type.equals(KeyUtils.getKeyType(k));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String[] lines(String console) {
        return console == null ? new String[0] : console.split("\r\n|\r|\n");
    }
}
