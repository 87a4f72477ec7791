package dev.srv6sh.aws;

import dev.srv6sh.cloud.ProviderOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SDK clients of one provider, one set per region, each built once: an explicit region (the
 * script's {@code region … aws "eu-west-3"}), credentials from the SDK's default chain or the
 * {@code --profile}, {@code --endpoint-url} as the endpoint of every service (S3 then path-style),
 * and the standard retry mode pinned (throttling backs off), so that a change of the SDK's defaults
 * does not change us. The system property {@code srv6sh.aws.maxAttempts=1} turns retries off: tests
 * set it, since moto answers a call it does not implement with HTTP 500, which would be retried.
 */
final class AwsClients implements AutoCloseable {
    /** The system property that turns retries off when it is 1 (tests). */
    static final String MAX_ATTEMPTS = "srv6sh.aws.maxAttempts";

    /** A region's clients. */
    record Regional(String region, Ec2Client ec2, SsmClient ssm, S3Client s3, S3Presigner presigner) {}

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final Map<String, Regional> regions = new ConcurrentHashMap<>();
    private volatile StsClient sts;

    AwsClients(ProviderOptions options) {
        this.endpoint = options.endpoint();
        this.credentials = options.profile() != null
                ? ProfileCredentialsProvider.builder()
                        .profileName(options.profile())
                        .build()
                : DefaultCredentialsProvider.builder().build();
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** Whether an endpoint override is in use (tests: a moto_server). */
    boolean overridden() {
        return endpoint != null;
    }

    private ClientOverrideConfiguration overrides() {
        String attempts = System.getProperty(MAX_ATTEMPTS);
        ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder();
        if (attempts != null && attempts.strip().equals("1")) {
            b.retryStrategy(AwsRetryStrategy.doNotRetry());
        } else {
            b.retryStrategy(RetryMode.STANDARD);
        }
        return b.apiCallTimeout(Duration.ofMinutes(2)).build();
    }

    Regional in(String region) {
        return regions.computeIfAbsent(region, this::build);
    }

    private Regional build(String code) {
        Region region = Region.of(code);
        var ec2 = Ec2Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(overrides());
        var ssm = SsmClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(overrides());
        var s3 = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(overrides());
        var presigner = S3Presigner.builder().region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            ec2.endpointOverride(endpoint);
            ssm.endpointOverride(endpoint);
            s3.endpointOverride(endpoint).forcePathStyle(true);
            presigner
                    .endpointOverride(endpoint)
                    .serviceConfiguration(S3Configuration.builder()
                            .pathStyleAccessEnabled(true)
                            .build());
        }
        return new Regional(code, ec2.build(), ssm.build(), s3.build(), presigner.build());
    }

    /** STS, in {@code region} (the stack's first): who the credentials are. */
    StsClient sts(String region) {
        if (sts == null) {
            synchronized (this) {
                if (sts == null) {
                    var b = StsClient.builder()
                            .region(Region.of(region))
                            .credentialsProvider(credentials)
                            .httpClient(http)
                            .overrideConfiguration(overrides());
                    if (endpoint != null) {
                        b.endpointOverride(endpoint);
                    }
                    sts = b.build();
                }
            }
        }
        return sts;
    }

    @Override
    public void close() {
        for (Regional r : regions.values()) {
            r.ec2().close();
            r.ssm().close();
            r.s3().close();
            r.presigner().close();
        }
        if (sts != null) {
            sts.close();
        }
        http.close();
    }
}
