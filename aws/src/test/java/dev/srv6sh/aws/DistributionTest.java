package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.agent.AgentJson;
import dev.srv6sh.dataplane.agent.RouterBoot;
import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The distribution's archive (read back by the system's tar), and its upload, dedupe and presigned
 * download against moto_server on 127.0.0.1 (skipped without moto_server, failed without it in CI).
 */
class DistributionTest {
    static final Region REGION = Region.EU_WEST_3;

    @TempDir
    Path dir;

    /** A moto_server this test class started (or the one SRV6SH_MOTO_URL names), shared by its tests. */
    static final class Moto {
        private static Process process;
        private static URI endpoint;

        static synchronized URI endpoint() {
            if (endpoint != null) {
                return endpoint;
            }
            String given = System.getenv("SRV6SH_MOTO_URL");
            if (given != null && !given.isBlank()) {
                endpoint = URI.create(given);
                return endpoint;
            }
            try {
                int port;
                try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    port = s.getLocalPort();
                }
                ProcessBuilder pb = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.environment().put("MOTO_ENABLE_KEYPAIR_VALIDATION", "1");
                pb.environment().put("MOTO_ENABLE_AMI_VALIDATION", "1");
                pb.environment().put("MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION", "1");
                process = pb.start();
                URI uri = URI.create("http://127.0.0.1:" + port);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline && process.isAlive()) {
                    try {
                        HttpURLConnection c = (HttpURLConnection)
                                uri.resolve("/moto-api/").toURL().openConnection();
                        c.setConnectTimeout(500);
                        if (c.getResponseCode() == 200) {
                            endpoint = uri;
                            return endpoint;
                        }
                    } catch (IOException e) {
                        // not listening yet
                    }
                    Thread.sleep(200);
                }
                stop();
            } catch (IOException e) {
                // no moto_server: said below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }

        /** The endpoint, or the test is skipped (failed under CI) saying moto_server is missing. */
        static URI require() {
            URI e = endpoint();
            if (e == null) {
                String why = "moto_server is needed (pip install 'moto[server]'), or SRV6SH_MOTO_URL";
                if ("true".equals(System.getenv("CI"))) {
                    throw new AssertionError(why + " (CI=true)");
                }
                Assumptions.abort(why);
            }
            return e;
        }

        /** Stops the moto_server this class started (the next test class starts its own). */
        static synchronized void stop() {
            if (process != null) {
                endpoint = null;
                process.destroy();
                try {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
        }

        static StaticCredentialsProvider credentials() {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
        }

        static S3Client s3(URI endpoint, ExecutionInterceptor... interceptors) {
            return S3Client.builder()
                    .endpointOverride(endpoint)
                    .region(REGION)
                    .credentialsProvider(credentials())
                    .forcePathStyle(true)
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(o -> {
                        o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1));
                        for (ExecutionInterceptor i : interceptors) {
                            o.addExecutionInterceptor(i);
                        }
                    })
                    .build();
        }

        static String bucket(S3Client s3) {
            String name = "srv6sh-test-" + Long.toHexString(new Random().nextLong() & 0xffffffffL);
            s3.createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(REGION.id())));
            return name;
        }

        static byte[] get(URI url) throws IOException {
            assertThat(url.getHost()).as("tests fetch from loopback only").isEqualTo("127.0.0.1");
            HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
            assertThat(c.getResponseCode()).isEqualTo(200);
            try (InputStream in = c.getInputStream()) {
                return in.readAllBytes();
            }
        }
    }

    @AfterAll
    static void stopMoto() {
        Moto.stop();
    }

    /** The operations an S3 client made, by name. */
    static final class Calls implements ExecutionInterceptor {
        final List<String> names = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            names.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }

    private Path jar;
    private Path lib;

    @BeforeEach
    void distribution() throws IOException {
        Random r = new Random(7);
        Path d = Files.createDirectories(dir.resolve("target"));
        jar = d.resolve("srv6sh.jar");
        lib = Files.createDirectories(d.resolve("lib"));
        byte[] b = new byte[70_000];
        r.nextBytes(b);
        Files.write(jar, b);
        for (String n : List.of("picocli-4.7.7.jar", "sshd-osgi-2.20.1.jar", "bcprov-jdk18on-1.87.jar")) {
            byte[] x = new byte[r.nextInt(5000) + 1];
            r.nextBytes(x);
            Files.write(lib.resolve(n), x);
        }
        Files.writeString(lib.resolve("README"), "not a jar: not packed");
    }

    @Test
    void theArchiveIsDeterministicAndTarReadsItBack() throws Exception {
        Distribution.Archive a = Distribution.pack(jar, lib, dir.resolve("a.tar.gz"));
        Distribution.Archive b = Distribution.pack(jar, lib, dir.resolve("b.tar.gz"));
        assertThat(a.sha256()).hasSize(64).isEqualTo(b.sha256());
        assertThat(Files.readAllBytes(a.file())).isEqualTo(Files.readAllBytes(b.file()));
        assertThat(a.key()).isEqualTo("srv6sh/dist/srv6sh-" + a.sha256() + ".tar.gz");
        assertThat(a.size()).isEqualTo(Files.size(a.file()));

        Path out = Files.createDirectories(dir.resolve("out"));
        Process tar = new ProcessBuilder("tar", "-xzf", a.file().toString(), "-C", out.toString())
                .redirectErrorStream(true)
                .start();
        String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(said).isZero();
        assertThat(Files.readAllBytes(out.resolve("srv6sh.jar"))).isEqualTo(Files.readAllBytes(jar));
        for (String n : List.of("picocli-4.7.7.jar", "sshd-osgi-2.20.1.jar", "bcprov-jdk18on-1.87.jar")) {
            assertThat(Files.readAllBytes(out.resolve("lib").resolve(n))).isEqualTo(Files.readAllBytes(lib.resolve(n)));
        }
        assertThat(out.resolve("lib/README")).doesNotExist();

        // another content, another key
        Files.write(lib.resolve("picocli-4.7.7.jar"), new byte[] {1, 2, 3});
        assertThat(Distribution.pack(jar, lib, dir.resolve("c.tar.gz")).sha256())
                .isNotEqualTo(a.sha256());
    }

    @Test
    void withoutADistributionTheErrorSaysHowToGetOne() {
        Assumptions.assumeTrue(System.getenv("SRV6SH_DIST") == null, "SRV6SH_DIST is set");
        Assumptions.assumeTrue(System.getProperty("jdk.module.path") == null, "running on a module path");
        assertThatThrownBy(Distribution::launcherFiles)
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("run it as ./srv6sh")
                .hasMessageContaining("SRV6SH_DIST");
    }

    @Test
    void longNamesUseTheUstarPrefixAndTooLongOnesAreRefused() throws Exception {
        String name = "lib/" + "d".repeat(90) + "/" + "x".repeat(60) + ".jar";
        byte[] h = Distribution.header(name, 0644, 1, '0');
        assertThat(new String(h, 345, 95, StandardCharsets.US_ASCII)).isEqualTo("lib/" + "d".repeat(90) + "\0");
        assertThatThrownBy(() -> Distribution.header("lib/" + "x".repeat(120) + ".jar", 0644, 1, '0'))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void uploadOnceThenHeadOnlyAndThePresignedUrlReturnsTheBytes() throws Exception {
        URI endpoint = Moto.require();
        Calls calls = new Calls();
        try (S3Client s3 = Moto.s3(endpoint, calls);
                S3Presigner presigner = Distribution.presigner(REGION, Moto.credentials(), endpoint)) {
            String bucket = Moto.bucket(s3);
            Distribution d = new Distribution(s3, presigner);
            Distribution.Archive a = Distribution.pack(jar, lib, dir.resolve("a.tar.gz"));

            calls.names.clear();
            Distribution.Uploaded first = d.upload(bucket, jar, lib);
            assertThat(first.uploaded()).isTrue();
            assertThat(first.key()).isEqualTo(a.key());
            assertThat(calls.names).containsExactly("HeadObject", "PutObject");

            calls.names.clear();
            Distribution.Uploaded again = d.upload(bucket, jar, lib);
            assertThat(again.uploaded())
                    .as("the same content is not uploaded twice")
                    .isFalse();
            assertThat(calls.names).containsExactly("HeadObject");

            URI url = d.presign(bucket, first.key(), Distribution.DEFAULT_EXPIRY);
            assertThat(url.getRawQuery()).contains("X-Amz-Expires=3600").contains("X-Amz-Signature=");
            assertThat(Moto.get(url)).isEqualTo(Files.readAllBytes(a.file()));
        }
    }

    @Test
    void aRoutersConfigurationIsWrittenAndReadBackThroughItsUrl() throws Exception {
        URI endpoint = Moto.require();
        try (S3Client s3 = Moto.s3(endpoint);
                S3Presigner presigner = Distribution.presigner(REGION, Moto.credentials(), endpoint)) {
            String bucket = Moto.bucket(s3);
            Distribution d = new Distribution(s3, presigner);
            RouterBoot boot = new RouterBoot(config("pr"), Prefix.parse("2001:db8:1::/48"));
            d.putConfiguration(bucket, "pr", boot);
            URI url = d.presign(bucket, Distribution.configurationKey("pr"), Duration.ofMinutes(10));
            String json = new String(Moto.get(url), StandardCharsets.UTF_8);
            assertThat(AgentJson.read(json, RouterBoot.class)).isEqualTo(boot);

            d.putConfiguration(bucket, "pr", json); // the text form, as checked
            assertThatThrownBy(() -> d.putConfiguration(bucket, "other", json))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("not router other's");
            assertThatThrownBy(() -> d.putConfiguration(bucket, "pr", "{not json"))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("not a router configuration");
            assertThatThrownBy(() -> d.putConfiguration(bucket, "other", boot))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("router 'pr''s");
        }
    }

    @Test
    void anAwsErrorSaysItsCodeAndRequest() throws Exception {
        URI endpoint = Moto.require();
        try (S3Client s3 = Moto.s3(endpoint);
                S3Presigner presigner = Distribution.presigner(REGION, Moto.credentials(), endpoint)) {
            Distribution d = new Distribution(s3, presigner);
            assertThatThrownBy(
                            () -> d.putConfiguration("srv6sh-no-such-bucket", "pr", new RouterBoot(config("pr"), null)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("NoSuchBucket")
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("request ");
        }
    }

    @Test
    void expiriesOutsideWhatS3AllowsAreRefused() {
        try (S3Presigner presigner =
                Distribution.presigner(REGION, Moto.credentials(), URI.create("http://127.0.0.1:9"))) {
            Distribution d = new Distribution(null, presigner);
            assertThatThrownBy(() -> d.presign("b", "k", Duration.ofDays(8)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("7 days");
            assertThatThrownBy(() -> d.presign("b", "k", Duration.ZERO)).isInstanceOf(ProviderException.class);
        }
    }

    static DataplaneConfig config(String router) {
        return new DataplaneConfig(
                router,
                List.of(new DataplaneConfig.Interface(
                        "inside",
                        dev.srv6sh.dataplane.config.MacAddress.parse("02:00:00:00:00:01"),
                        List.of(Prefix.parse("198.51.100.1/24")),
                        9001)),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null,
                null);
    }
}
