package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * srv6sh's credentials rule on user-data: rendered for a realistic boot (URLs presigned for AWS
 * itself, offline, with long-term and with temporary credentials), it holds no secret key, no
 * session token outside a presigned URL's own parameter, no access key ID outside a presigned URL's
 * {@code X-Amz-Credential}, no private key material, and fits EC2's 16 KB.
 */
class UserDataCredentialsTest {
    // AWS's documentation example credentials: never valid anywhere
    private static final String KEY_ID = FakeCredentials.keyId("AKIA");
    private static final String SECRET = FakeCredentials.secret();
    private static final String SESSION_KEY_ID = FakeCredentials.keyId("ASIA");
    private static final String TOKEN = FakeCredentials.token(720);

    private static final Pattern KEY_IDS = Pattern.compile("(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}");
    private static final Pattern PRESIGNED_QUERY = Pattern.compile("\\?X-Amz-[^'\"\\s]*");

    @TempDir
    Path home;

    private String[] render(AwsCredentialsProvider credentials) throws Exception {
        String bucket = "srv6sh-quickstart-123456789012-eu-west-3";
        try (S3Presigner presigner = Distribution.presigner(Region.EU_WEST_3, credentials, null)) {
            Distribution d = new Distribution(null, presigner);
            URI dist =
                    d.presign(bucket, "srv6sh/dist/srv6sh-" + "ab".repeat(32) + ".tar.gz", Distribution.DEFAULT_EXPIRY);
            URI config = d.presign(bucket, Distribution.configurationKey("pr"), Distribution.DEFAULT_EXPIRY);
            assertThat(dist.getHost()).isEqualTo(bucket + ".s3.eu-west-3.amazonaws.com");
            CloudInitBootstrap b = new CloudInitBootstrap(home);
            String router = b.routerUserData(new Bootstrap.RouterBoot(
                    "quickstart",
                    "pr",
                    "eu-west-3",
                    dist,
                    config,
                    "0a:5c:71:1e:2f:01",
                    "0a:5c:71:1e:2f:02",
                    "0a:5c:71:1e:2f:03"));
            String host = b.hostUserData(new Bootstrap.HostBoot("quickstart", "hk", "eu-west-3"));
            return new String[] {router, host};
        }
    }

    private void assertClean(String userData, String keyId, String token) throws Exception {
        assertThat(userData.getBytes(StandardCharsets.UTF_8).length).isLessThan(16 * 1024);
        // the secret, as is and as a URL would encode it
        assertThat(userData)
                .doesNotContain(SECRET)
                .doesNotContain(URLEncoder.encode(SECRET, StandardCharsets.UTF_8))
                .doesNotContainIgnoringCase("aws_secret")
                .doesNotContainIgnoringCase("secret_access_key")
                .doesNotContainIgnoringCase("aws_session_token")
                .doesNotContain("PRIVATE KEY")
                .doesNotContain("OPENSSH PRIVATE")
                .doesNotContain("b3BlbnNzaC1rZXktdjE"); // "openssh-key-v1", the private key format's magic, in base64
        // nothing of the private key file's body either
        Path key = home.resolve("aws/quickstart/id_ed25519");
        for (String line : Files.readAllLines(key)) {
            if (!line.startsWith("-----") && line.length() > 16) {
                assertThat(userData).doesNotContain(line);
            }
        }
        // the access key ID only where a presigned URL must carry it, the token likewise
        String withoutUrls = PRESIGNED_QUERY.matcher(userData).replaceAll("?");
        assertThat(KEY_IDS.matcher(withoutUrls).find())
                .as("an access key ID outside a presigned URL")
                .isFalse();
        if (token != null) {
            assertThat(withoutUrls)
                    .doesNotContain(token)
                    .doesNotContain(URLEncoder.encode(token, StandardCharsets.UTF_8));
        }
        var ids = KEY_IDS.matcher(userData);
        while (ids.find()) {
            assertThat(ids.group()).isEqualTo(keyId);
            assertThat(userData.substring(Math.max(0, ids.start() - 17), ids.start()))
                    .endsWith("X-Amz-Credential=");
        }
    }

    @Test
    void longTermCredentialsLeaveOnlyTheirIdInsidePresignedUrls() throws Exception {
        String[] ud = render(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)));
        assertThat(ud[0]).contains("X-Amz-Credential=" + KEY_ID); // the URLs are there, signed
        for (String u : ud) {
            assertClean(u, KEY_ID, null);
        }
        assertThat(ud[1]).doesNotContain("X-Amz-").doesNotContain(KEY_ID);
    }

    @Test
    void temporaryCredentialsLeaveTheirTokenOnlyAsTheUrlsOwnParameter() throws Exception {
        String[] ud =
                render(StaticCredentialsProvider.create(AwsSessionCredentials.create(SESSION_KEY_ID, SECRET, TOKEN)));
        assertThat(ud[0]).contains("X-Amz-Security-Token=");
        for (String u : ud) {
            assertClean(u, SESSION_KEY_ID, TOKEN);
        }
        assertThat(List.of(ud)).allMatch(u -> u.length() < CloudInitBootstrap.USER_DATA_LIMIT);
    }
}
