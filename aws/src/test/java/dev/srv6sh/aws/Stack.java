package dev.srv6sh.aws;

import dev.srv6sh.interpreter.Interpreter;
import dev.srv6sh.interpreter.Lifecycle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The quickstart script driven as {@code srv6sh plan|apply|destroy --backend aws --endpoint-url
 * MOTO --state STATE --auto-approve} drive it ({@link Lifecycle}), and SDK clients to look at what
 * it made.
 */
final class Stack {
    static final Path QUICKSTART = Path.of("").toAbsolutePath().getParent().resolve("scripts/quickstart.srv6");

    final Path state;
    final String script;
    final String text;

    Stack(Path dir) throws IOException {
        this(dir, QUICKSTART);
    }

    Stack(Path dir, Path script) throws IOException {
        this.state = dir.resolve("quickstart.state.json");
        this.script = script.toString();
        this.text = Files.readString(script);
    }

    /** What one command printed, and its exit code. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    Run run(Lifecycle.Action action) {
        return run(action, text);
    }

    Run run(Lifecycle.Action action, String scriptText) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Lifecycle.run(
                action,
                script,
                scriptText,
                new Lifecycle.Options(
                        "aws",
                        Map.of(),
                        state,
                        a -> Lifecycle.Approval.APPROVED,
                        1,
                        new Interpreter.Cloud(MotoServer.endpoint(), null, null)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Ec2Client ec2(String region) {
        return Ec2Client.builder()
                .region(Region.of(region))
                .endpointOverride(MotoServer.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    static S3Client s3(String region) {
        return S3Client.builder()
                .region(Region.of(region))
                .endpointOverride(MotoServer.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }
}
