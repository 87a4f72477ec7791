package dev.srv6sh.aws;

import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.dataplane.agent.AgentJson;
import dev.srv6sh.dataplane.agent.RouterBoot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What the routers' bootstrap downloads from the stack's bucket: the srv6sh distribution (what
 * {@code ./srv6sh} runs: {@code srv6sh.jar} and {@code lib/}) as one tar.gz, and each router's
 * configuration, both through presigned GET URLs, so that an instance needs no credential of its own.
 *
 * <p>The archive is deterministic (entries sorted, times, owners and modes fixed, gzip without a
 * name or time), so its SHA-256 names its content: it is stored under {@code
 * srv6sh/dist/srv6sh-SHA256.tar.gz}, uploaded only when no object has that key (HeadObject), and
 * the bootstrap checks the download against the hash in the key.
 *
 * <p>A presigned URL carries the access key's ID and the signature (with temporary credentials, the
 * session token too), never the secret; it works for {@code expiry} ({@link #DEFAULT_EXPIRY}), and no
 * longer than the credentials that signed it.
 */
public final class Distribution {
    /** How long a presigned URL works unless said otherwise: a router's boot takes minutes. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofHours(1);

    /** Where srv6sh keeps its objects in the stack's bucket. */
    public static final String PREFIX = "srv6sh/";

    private static final int BLOCK = 512;

    private final S3Client s3;
    private final S3Presigner presigner;

    /** Over {@code s3}, with {@code presigner} made for the same endpoint, region and credentials. */
    public Distribution(S3Client s3, S3Presigner presigner) {
        this.s3 = s3;
        this.presigner = presigner;
    }

    /**
     * A presigner for the endpoint, region and credentials the provider's S3 client uses ({@code
     * endpoint} null: AWS's own). With an endpoint override (moto_server), path-style URLs, as the
     * client uses there.
     */
    public static S3Presigner presigner(Region region, AwsCredentialsProvider credentials, URI endpoint) {
        S3Presigner.Builder b = S3Presigner.builder().region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            b.endpointOverride(endpoint)
                    .serviceConfiguration(S3Configuration.builder()
                            .pathStyleAccessEnabled(true)
                            .build());
        }
        return b.build();
    }

    /** A packed distribution: the tar.gz, its SHA-256 (hex) and size. */
    public record Archive(Path file, String sha256, long size) {
        /** Its object's key: content-addressed. */
        public String key() {
            return PREFIX + "dist/srv6sh-" + sha256 + ".tar.gz";
        }
    }

    /** Where an archive went: its key, and whether this call uploaded it (false: it was there). */
    public record Uploaded(String bucket, String key, String sha256, long size, boolean uploaded) {}

    /**
     * The distribution {@code ./srv6sh} runs: the {@code srv6sh.jar} and {@code lib} of its module
     * path, or the directory {@code $SRV6SH_DIST} (holding both), or a clear error saying how to get one.
     */
    public static Path[] launcherFiles() throws ProviderException {
        String dist = System.getenv("SRV6SH_DIST");
        if (dist != null && !dist.isBlank()) {
            Path d = Path.of(dist);
            return check(d.resolve("srv6sh.jar"), d.resolve("lib"), "$SRV6SH_DIST (" + d + ")");
        }
        String mp = System.getProperty("jdk.module.path");
        Path jar = null;
        Path lib = null;
        if (mp != null) {
            for (String e : mp.split(java.io.File.pathSeparator)) {
                Path p = Path.of(e);
                if (p.getFileName() != null && p.getFileName().toString().equals("srv6sh.jar")) {
                    jar = p;
                } else if (p.getFileName() != null
                        && p.getFileName().toString().equals("lib")
                        && Files.isDirectory(p)) {
                    lib = p;
                }
            }
        }
        if (jar == null || lib == null) {
            throw new ProviderException("the aws backend uploads the srv6sh its routers run, and this one is not"
                    + " running from a distribution: run it as ./srv6sh (./build.sh dist builds shell/target), or"
                    + " set SRV6SH_DIST to a directory with srv6sh.jar and lib/");
        }
        return check(jar, lib, "the module path");
    }

    private static Path[] check(Path jar, Path lib, String where) throws ProviderException {
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new ProviderException(where + " has no srv6sh.jar and lib/ (./build.sh dist builds them)");
        }
        return new Path[] {jar, lib};
    }

    /**
     * Packs {@code jar} (as {@code srv6sh.jar}) and the jars of {@code lib} (as {@code lib/}) into
     * {@code out}, deterministically.
     */
    public static Archive pack(Path jar, Path lib, Path out) throws ProviderException {
        List<Path> jars;
        try (Stream<Path> s = Files.list(lib)) {
            jars = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ProviderException("cannot list " + lib + ": " + e.getMessage());
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream file = Files.newOutputStream(out);
                DigestOutputStream digest = new DigestOutputStream(file, sha);
                GZIPOutputStream gz = new GZIPOutputStream(digest, 1 << 16)) {
            entry(gz, "srv6sh.jar", jar);
            directory(gz, "lib/");
            for (Path j : jars) {
                entry(gz, "lib/" + j.getFileName(), j);
            }
            gz.write(new byte[2 * BLOCK]); // the end of the archive
        } catch (IOException e) {
            throw new ProviderException("cannot pack the distribution into " + out + ": " + e.getMessage());
        }
        try {
            return new Archive(out, HexFormat.of().formatHex(sha.digest()), Files.size(out));
        } catch (IOException e) {
            throw new ProviderException("cannot read " + out + ": " + e.getMessage());
        }
    }

    private static void entry(OutputStream out, String name, Path file) throws IOException {
        long size = Files.size(file);
        out.write(header(name, 0644, size, '0'));
        try (var in = Files.newInputStream(file)) {
            long copied = in.transferTo(out);
            if (copied != size) {
                throw new IOException(file + " changed while it was packed");
            }
        }
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[pad]);
    }

    private static void directory(OutputStream out, String name) throws IOException {
        out.write(header(name, 0755, 0, '5'));
    }

    /** A POSIX ustar header: owner root, time 0, so that the same files give the same bytes. */
    static byte[] header(String name, int mode, long size, char type) throws IOException {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        String prefix = "";
        if (n.length > 100) {
            int slash = name.lastIndexOf('/', name.length() - 2);
            if (slash <= 0 || slash > 155 || name.length() - slash - 1 > 100) {
                throw new IOException("the file name " + name + " is too long for a tar archive");
            }
            prefix = name.substring(0, slash);
            n = name.substring(slash + 1).getBytes(StandardCharsets.UTF_8);
        }
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        put(h, 265, "root");
        put(h, 297, "root");
        put(h, 345, prefix);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String s = String.format("%06o", sum);
        put(h, 148, s);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int at, int width, long value) {
        String s = String.format("%0" + (width - 1) + "o", value);
        put(h, at, s);
        h[at + width - 1] = 0;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    /** Packs {@code jar} and {@code lib} and {@link #upload uploads} the archive, which is then removed. */
    public Uploaded upload(String bucket, Path jar, Path lib) throws ProviderException {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("srv6sh-dist", ".tar.gz");
            return upload(bucket, pack(jar, lib, tmp));
        } catch (IOException e) {
            throw new ProviderException("cannot make a temporary file for the distribution: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a temporary file: nothing else to do
                }
            }
        }
    }

    /**
     * Uploads {@code archive} under its content-addressed key, unless the bucket already has an
     * object there of its size (HeadObject): the same distribution is uploaded once per bucket.
     */
    public Uploaded upload(String bucket, Archive archive) throws ProviderException {
        String key = archive.key();
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            if (head.contentLength() != null && head.contentLength() == archive.size()) {
                return new Uploaded(bucket, key, archive.sha256(), archive.size(), false);
            }
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw aws("cannot look for the distribution s3://" + bucket + "/" + key, e);
            }
        } catch (SdkException e) {
            throw aws("cannot look for the distribution s3://" + bucket + "/" + key, e);
        }
        try {
            s3.putObject(
                    b -> b.bucket(bucket)
                            .key(key)
                            .contentType("application/gzip")
                            .metadata(Map.of("sha256", archive.sha256())),
                    RequestBody.fromFile(archive.file()));
        } catch (SdkException e) {
            throw aws("cannot upload the distribution to s3://" + bucket + "/" + key, e);
        }
        return new Uploaded(bucket, key, archive.sha256(), archive.size(), true);
    }

    /** The key of router {@code router}'s configuration object. */
    public static String configurationKey(String router) {
        return PREFIX + "routers/" + router + "/boot.json";
    }

    /** Writes router {@code router}'s configuration (what {@code srv6sh router --config} reads). */
    public void putConfiguration(String bucket, String router, RouterBoot boot) throws ProviderException {
        if (boot.config() == null || !router.equals(boot.config().router())) {
            throw new ProviderException("the configuration for router " + router + " is router '"
                    + (boot.config() == null ? null : boot.config().router()) + "''s");
        }
        put(bucket, router, AgentJson.write(boot));
    }

    /**
     * Writes router {@code router}'s configuration from its JSON text, refused unless it reads as a
     * {@link RouterBoot} of that router: the router would refuse it at boot, far from here.
     */
    public void putConfiguration(String bucket, String router, String json) throws ProviderException {
        RouterBoot boot;
        try {
            boot = AgentJson.read(json, RouterBoot.class);
        } catch (IllegalArgumentException e) {
            throw new ProviderException("not a router configuration: " + e.getMessage());
        }
        if (boot == null
                || boot.config() == null
                || !router.equals(boot.config().router())) {
            throw new ProviderException("the configuration text is not router " + router + "'s");
        }
        put(bucket, router, json);
    }

    /**
     * Writes the configuration object unless it already holds these bytes (its ETag, the MD5 of an
     * object put in one part, says so): a second apply of the same script makes no mutating call.
     */
    private void put(String bucket, String router, String json) throws ProviderException {
        String key = configurationKey(router);
        String md5;
        try {
            md5 = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try {
            String etag = s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
            if (etag != null && etag.replace("\"", "").equalsIgnoreCase(md5)) {
                return;
            }
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw aws("cannot look for router " + router + "'s configuration s3://" + bucket + "/" + key, e);
            }
        } catch (SdkException e) {
            throw aws("cannot look for router " + router + "'s configuration s3://" + bucket + "/" + key, e);
        }
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromString(json, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw aws("cannot write router " + router + "'s configuration to s3://" + bucket + "/" + key, e);
        }
    }

    /** A presigned GET of {@code key} that works for {@code expiry}. */
    public URI presign(String bucket, String key, Duration expiry) throws ProviderException {
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(Duration.ofDays(7)) > 0) {
            throw new ProviderException("a presigned URL lives between a second and 7 days, not " + expiry);
        }
        try {
            return presigner
                    .presignGetObject(r -> r.signatureDuration(expiry)
                            .getObjectRequest(g -> g.bucket(bucket).key(key)))
                    .url()
                    .toURI();
        } catch (URISyntaxException e) {
            throw new ProviderException("the presigned URL of s3://" + bucket + "/" + key + " is not a URI");
        } catch (SdkException e) {
            throw aws("cannot presign s3://" + bucket + "/" + key, e);
        }
    }

    /** An AWS error with its code and request id, as the provider shows them. */
    static ProviderException aws(String what, SdkException e) {
        List<String> parts = new ArrayList<>();
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s) {
            if (s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null) {
                parts.add(s.awsErrorDetails().errorCode());
            }
            parts.add("HTTP " + s.statusCode());
            if (s.requestId() != null) {
                parts.add("request " + s.requestId());
            }
        }
        String msg = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s
                        && s.awsErrorDetails() != null
                        && s.awsErrorDetails().errorMessage() != null
                ? s.awsErrorDetails().errorMessage()
                : e.getMessage();
        return new ProviderException(
                what + ": " + msg + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")"), e);
    }
}
