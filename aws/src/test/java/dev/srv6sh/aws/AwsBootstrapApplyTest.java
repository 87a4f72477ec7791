package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.agent.AgentJson;
import dev.srv6sh.dataplane.agent.RouterBoot;
import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Lifecycle;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code srv6sh apply scripts/quickstart.srv6 --backend aws} against moto_server with the real
 * {@link CloudInitBootstrap} and {@link Distribution} (only the distribution's files are a few bytes
 * in a temporary directory, as {@code $SRV6SH_DIST} would name them), under temporary credentials
 * shaped like AWS's: each router's user-data is CloudInitBootstrap's, holds no credential outside
 * its presigned URLs' own parameters, and its URLs fetch the distribution (stored under its
 * SHA-256) and the configuration the apply wrote; the routers' consoles print nothing on moto, so
 * the apply says their bootstrap has not finished, and succeeds.
 */
@ExtendWith(MotoServer.class)
class AwsBootstrapApplyTest {
    // AWS's documentation example credentials: never valid anywhere; moto takes any
    private static final String KEY_ID = FakeCredentials.keyId("ASIA");
    private static final String SECRET = FakeCredentials.secret();
    private static final String TOKEN = FakeCredentials.token(320);

    private static final Pattern KEY_IDS = Pattern.compile("(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}");
    private static final Pattern PRESIGNED_QUERY = Pattern.compile("\\?X-Amz-[^'\"\\s]*");
    private static final Pattern URL = Pattern.compile("SRV6SH_(DIST|CONFIG)_URL='([^']+)'");

    @TempDir
    Path dir;

    @TempDir
    Path home;

    @BeforeEach
    void realBootstrap() {
        TestBootstrap.instead = real(new CloudInitBootstrap(home), true);
        System.setProperty("aws.accessKeyId", KEY_ID);
        System.setProperty("aws.secretAccessKey", SECRET);
        System.setProperty("aws.sessionToken", TOKEN);
    }

    /**
     * {@code real} (a final class) as a bootstrap; {@code fakeDist}: its distribution is {@link
     * FakeDist}'s, else the one it finds as {@code ./srv6sh} would (none in a test JVM).
     */
    private static Bootstrap real(CloudInitBootstrap real, boolean fakeDist) {
        return new Bootstrap() {
            @Override
            public String publicKey(String stack) throws ProviderException {
                return real.publicKey(stack);
            }

            @Override
            public Path privateKey(String stack) {
                return real.privateKey(stack);
            }

            @Override
            public String routerUserData(RouterBoot boot) throws ProviderException {
                return real.routerUserData(boot);
            }

            @Override
            public String hostUserData(HostBoot boot) throws ProviderException {
                return real.hostUserData(boot);
            }

            @Override
            public List<String> hostKeys(String consoleOutput) {
                return real.hostKeys(consoleOutput);
            }

            @Override
            public Optional<String> routerHostKey(String consoleOutput) {
                return real.routerHostKey(consoleOutput);
            }

            @Override
            public Optional<String> failure(String consoleOutput) {
                return real.failure(consoleOutput);
            }

            /** What $SRV6SH_DIST would name: srv6sh.jar and lib/ in a directory. */
            @Override
            public Path[] distribution() throws ProviderException {
                return fakeDist ? FakeDist.files() : real.distribution();
            }
        };
    }

    @AfterEach
    void testBootstrap() {
        TestBootstrap.instead = null;
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.clearProperty("aws.sessionToken");
    }

    @Test
    void routersBootWithTheRealUserDataDistributionAndConfiguration() throws Exception {
        Stack s = new Stack(dir);
        Stack.Run r = s.run(Lifecycle.Action.APPLY);
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.out())
                .contains("has not finished yet")
                .contains("router pr")
                .contains("router lr");

        Path[] files = FakeDist.files();
        Distribution.Archive archive = Distribution.pack(files[0], files[1], dir.resolve("dist.tar.gz"));
        byte[] packed = Files.readAllBytes(archive.file());
        assertThat(archive.key()).isEqualTo("srv6sh/dist/srv6sh-" + archive.sha256() + ".tar.gz");

        try (S3Client s3 = Stack.s3("eu-west-3")) {
            String bucket = s3.listBuckets().buckets().stream()
                    .map(b -> b.name())
                    .filter(n -> n.startsWith("srv6sh-quickstart-"))
                    .findFirst()
                    .orElseThrow();
            // the distribution, under its SHA-256, once
            assertThat(s3.headObject(q -> q.bucket(bucket).key(archive.key())).contentLength())
                    .isEqualTo(archive.size());
            assertThat(s3.listObjectsV2(q -> q.bucket(bucket).prefix("srv6sh/dist/"))
                            .contents())
                    .hasSize(1);
            for (Map.Entry<String, String> e :
                    Map.of("pr", "eu-west-3", "lr", "eu-west-2").entrySet()) {
                String router = e.getKey();
                String userData = userData(e.getValue(), router);
                assertThat(userData)
                        .startsWith("#cloud-config\n")
                        .contains("/etc/systemd/system/srv6sh-router.service")
                        .contains("SRV6SH_ROUTER='" + router + "'")
                        .contains("SRV6SH_DIST_SHA256='" + archive.sha256() + "'")
                        .contains("SRV6SH_SSH_PORT='" + Bootstrap.ROUTER_SSH_PORT + "'")
                        .contains(Files.readString(home.resolve("aws/quickstart/id_ed25519.pub"))
                                .strip());
                assertNoCredential(userData);

                Matcher m = URL.matcher(userData);
                int urls = 0;
                while (m.find()) {
                    URI url = URI.create(m.group(2));
                    byte[] got = get(url);
                    if (m.group(1).equals("DIST")) {
                        assertThat(url.getPath()).endsWith("/" + bucket + "/" + archive.key());
                        assertThat(got).isEqualTo(packed);
                        assertThat(HexFormat.of()
                                        .formatHex(MessageDigest.getInstance("SHA-256")
                                                .digest(got)))
                                .isEqualTo(archive.sha256());
                    } else {
                        // the object the router's handle wrote, at the key the user-data's URL names
                        assertThat(url.getPath()).endsWith("/" + bucket + "/" + Distribution.configurationKey(router));
                        RouterBoot boot = AgentJson.read(new String(got, StandardCharsets.UTF_8), RouterBoot.class);
                        assertThat(boot.config().router()).isEqualTo(router);
                        assertThat(boot.config().interfaces())
                                .extracting(i -> i.name() + " " + i.driver() + " " + i.device())
                                .containsExactly("inside af_packet inside", "transit af_packet transit");
                    }
                    urls++;
                }
                assertThat(urls).isEqualTo(2);
            }
        }
        // no credential in any file the apply wrote (state, lock, the stack's keys)
        try (Stream<Path> written = Stream.concat(Files.walk(dir), Files.walk(home))) {
            for (Path f : written.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                assertThat(text)
                        .as(f.toString())
                        .doesNotContain(SECRET)
                        .doesNotContain(TOKEN)
                        .doesNotContain(KEY_ID);
            }
        }
    }

    @Test
    void withoutADistributionApplyStopsBeforeMakingAnything() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SRV6SH_DIST") == null, "SRV6SH_DIST is set");
        TestBootstrap.instead = real(new CloudInitBootstrap(home), false);
        Stack.Run r = new Stack(dir).run(Lifecycle.Action.APPLY);
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.RUNTIME_ERROR);
        assertThat(r.err())
                .contains("not running from a distribution")
                .contains("SRV6SH_DIST")
                .doesNotContain("Exception");
        for (String region : List.of("eu-west-3", "eu-west-2")) {
            try (Ec2Client ec2 = Stack.ec2(region)) {
                assertThat(ec2.describeVpcs(q -> q.filters(Filter.builder()
                                        .name("tag:srv6sh:stack")
                                        .values("quickstart")
                                        .build()))
                                .vpcs())
                        .isEmpty();
            }
        }
        try (S3Client s3 = Stack.s3("eu-west-3")) {
            assertThat(s3.listBuckets().buckets()).isEmpty();
        }
    }

    private static String userData(String region, String router) {
        try (Ec2Client ec2 = Stack.ec2(region)) {
            Instance i = ec2
                    .describeInstances(q -> q.filters(
                            Filter.builder()
                                    .name("tag:srv6sh:stack")
                                    .values("quickstart")
                                    .build(),
                            Filter.builder()
                                    .name("instance-state-name")
                                    .values("running")
                                    .build()))
                    .reservations()
                    .stream()
                    .flatMap(x -> x.instances().stream())
                    .filter(x -> x.tags().stream().anyMatch(t -> t.value().equals("router/" + router)))
                    .findFirst()
                    .orElseThrow();
            String b64 = ec2.describeInstanceAttribute(
                            q -> q.instanceId(i.instanceId()).attribute("userData"))
                    .userData()
                    .value();
            return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        }
    }

    /** UserDataCredentialsTest's rule: the key ID and token only as a presigned URL's own parameters. */
    private static void assertNoCredential(String userData) {
        assertThat(userData.getBytes(StandardCharsets.UTF_8).length).isLessThan(CloudInitBootstrap.USER_DATA_LIMIT);
        assertThat(userData)
                .contains("X-Amz-Credential=" + KEY_ID)
                .contains("X-Amz-Security-Token=")
                .doesNotContain(SECRET)
                .doesNotContain(URLEncoder.encode(SECRET, StandardCharsets.UTF_8))
                .doesNotContainIgnoringCase("aws_secret")
                .doesNotContainIgnoringCase("secret_access_key")
                .doesNotContainIgnoringCase("aws_session_token")
                .doesNotContain("PRIVATE KEY")
                .doesNotContain("b3BlbnNzaC1rZXktdjE");
        String withoutUrls = PRESIGNED_QUERY.matcher(userData).replaceAll("?");
        assertThat(KEY_IDS.matcher(withoutUrls).find())
                .as("an access key ID outside a presigned URL")
                .isFalse();
        assertThat(withoutUrls).doesNotContain(TOKEN).doesNotContain(URLEncoder.encode(TOKEN, StandardCharsets.UTF_8));
        Matcher ids = KEY_IDS.matcher(userData);
        while (ids.find()) {
            assertThat(userData.substring(Math.max(0, ids.start() - 17), ids.start()))
                    .endsWith("X-Amz-Credential=");
        }
    }

    private static byte[] get(URI url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        assertThat(c.getResponseCode()).as(url.getPath()).isEqualTo(200);
        try (InputStream in = c.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
