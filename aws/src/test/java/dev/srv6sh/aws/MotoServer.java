package dev.srv6sh.aws;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A moto_server on 127.0.0.1 for the tests (reference: docs/aws.md): started once per JVM on a free
 * port with AMI, instance-type and key-pair validation on, ready when {@code GET /moto-api/} answers,
 * reset ({@code POST /moto-api/reset}) before each test. Without {@code moto_server} on the PATH the
 * tests skip, saying so, unless {@code CI=true}, where they fail. The SDK is pointed at it with
 * throwaway credentials, no instance metadata and no retries (moto answers what it does not
 * implement with HTTP 500).
 */
public final class MotoServer implements BeforeAllCallback, BeforeEachCallback {
    private static URI endpoint;
    private static Process process;
    private static String missing;

    /** The endpoint ({@code --endpoint-url}). */
    public static URI endpoint() {
        return endpoint;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(missing + " (CI=true: the aws tests must run)");
            }
            Assumptions.abort(missing);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        post("/moto-api/reset");
        Recorder.reset();
    }

    private static synchronized void start() throws Exception {
        if (endpoint != null || missing != null) {
            return;
        }
        Path exe = onPath("moto_server");
        if (exe == null) {
            missing = "moto_server is not on the PATH (pip install 'moto[server]==5.2.1')";
            return;
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("MOTO_ENABLE_KEYPAIR_VALIDATION", "1");
        pb.environment().put("MOTO_ENABLE_AMI_VALIDATION", "1");
        pb.environment().put("MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION", "1");
        process = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroy()));
        endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection)
                        endpoint.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                endpoint = null;
                missing = "moto_server did not start on 127.0.0.1:" + port;
                return;
            }
            Thread.sleep(100);
        }
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.disableEc2Metadata", "true");
        System.setProperty(AwsClients.MAX_ATTEMPTS, "1");
    }

    static void post(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve(path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.getOutputStream().close();
        if (c.getResponseCode() != 200) {
            throw new IOException("moto " + path + ": HTTP " + c.getResponseCode());
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
