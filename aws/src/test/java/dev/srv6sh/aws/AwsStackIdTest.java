package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.cloud.StateFile;
import dev.srv6sh.interpreter.ExitCode;
import dev.srv6sh.interpreter.Lifecycle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two stacks of one script in one account (two {@code --state} files: two checkouts, two people)
 * on moto_server: each owns only what it made, told apart by its state's random {@code
 * srv6sh:stack-id}; and a state written before stacks had IDs still plans and destroys what it
 * records.
 */
@ExtendWith(MotoServer.class)
class AwsStackIdTest {
    @TempDir
    Path dir;

    private static final List<String> REGIONS = List.of("eu-west-3", "eu-west-2");

    private static Stack.Run ok(Stack.Run r) {
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.err()).as(r.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        return r;
    }

    /** The cloud IDs a state records (the client tokens are not resources). */
    private static List<String> ids(Stack s) throws Exception {
        List<String> out = new ArrayList<>();
        StateFile.read(s.state).resources().forEach((a, id) -> {
            if (!a.startsWith("token/")) {
                out.add(id);
            }
        });
        return out;
    }

    /** No mutating call since the last clear names any of {@code ids}. */
    private static void untouched(List<String> ids) {
        assertThat(Recorder.calls().stream().filter(Recorder.Call::mutating))
                .as("mutating calls on the first stack's resources")
                .allSatisfy(c -> assertThat(c.request().toString()).doesNotContain(ids));
    }

    @Test
    void twoStatesOfOneScriptOwnOnlyTheirOwn() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Stack first = new Stack(dir.resolve("a"));
        Stack second = new Stack(dir.resolve("b"));
        ok(first.run(Lifecycle.Action.APPLY));
        List<String> firsts = ids(first);
        String firstId = StateFile.read(first.state).stackId();

        // the second makes its own (another ID, other resources, its own bucket and key pairs) ...
        Recorder.clear();
        ok(second.run(Lifecycle.Action.APPLY));
        untouched(firsts);
        String secondId = StateFile.read(second.state).stackId();
        assertThat(secondId).matches("[0-9a-f]{8}").isNotEqualTo(firstId);
        assertThat(ids(second)).doesNotContainAnyElementsOf(firsts).hasSameSizeAs(firsts);
        // ... and neither sees the other: both plans are empty
        assertThat(ok(first.run(Lifecycle.Action.PLAN)).out()).contains("No changes.");
        assertThat(ok(second.run(Lifecycle.Action.PLAN)).out()).contains("No changes.");

        // destroying the second leaves the first complete
        Recorder.clear();
        Stack.Run destroyed = ok(second.run(Lifecycle.Action.DESTROY));
        assertThat(destroyed.out()).doesNotContain("left alone");
        untouched(firsts);
        assertThat(second.state).doesNotExist();
        assertThat(ok(first.run(Lifecycle.Action.PLAN)).out()).contains("No changes.");
        for (String region : REGIONS) {
            try (Ec2Client ec2 = Stack.ec2(region)) {
                assertThat(ec2.describeVpcs(q -> q.filters(Filter.builder()
                                        .name("tag:srv6sh:stack")
                                        .values("quickstart")
                                        .build()))
                                .vpcs())
                        .as(region)
                        .singleElement()
                        .satisfies(v -> assertThat(v.tags()).contains(tag(Tags.STACK_ID, firstId)));
            }
        }
    }

    @Test
    void aStateWithoutAnIdStillPlansAndDestroys() throws Exception {
        Stack s = new Stack(dir);
        ok(s.run(Lifecycle.Action.APPLY));
        // what srv6sh wrote before stacks had IDs: no stack_id in the state, no ID tag on the resources
        String id = StateFile.read(s.state).stackId();
        Map<String, String> recorded = StateFile.read(s.state).resources();
        Files.writeString(s.state, Files.readString(s.state).replace("  \"stack_id\": \"" + id + "\",\n", ""));
        assertThat(StateFile.read(s.state).stackId()).isNull();
        for (String region : REGIONS) {
            try (Ec2Client ec2 = Stack.ec2(region)) {
                List<String> tagged = new ArrayList<>();
                recorded.forEach((a, rid) -> {
                    if (!a.startsWith("token/") && !a.equals("bucket") && !a.startsWith("keypair/")) {
                        tagged.add(rid);
                    }
                });
                ec2.describeKeyPairs(q -> q.filters(Filter.builder()
                                .name("tag:srv6sh:stack")
                                .values("quickstart")
                                .build()))
                        .keyPairs()
                        .forEach(k -> tagged.add(k.keyPairId()));
                // IDs of the other region are not found here: one at a time
                for (String rid : tagged) {
                    try {
                        ec2.deleteTags(q -> q.resources(rid)
                                .tags(Tag.builder().key(Tags.STACK_ID).build()));
                    } catch (software.amazon.awssdk.core.exception.SdkException e) {
                        // another region's
                    }
                }
            }
        }
        try (S3Client s3 = Stack.s3("eu-west-3")) {
            String bucket = recorded.get("bucket");
            List<software.amazon.awssdk.services.s3.model.Tag> kept =
                    s3.getBucketTagging(q -> q.bucket(bucket)).tagSet().stream()
                            .filter(t -> !t.key().equals(Tags.STACK_ID))
                            .toList();
            s3.putBucketTagging(q -> q.bucket(bucket).tagging(t -> t.tagSet(kept)));
        }

        Stack.Run plan = ok(s.run(Lifecycle.Action.PLAN));
        assertThat(plan.out()).contains("No changes.");
        assertThat(plan.out() + plan.err())
                .contains("written before stacks had IDs")
                .contains("adopts none");
        ok(s.run(Lifecycle.Action.DESTROY));
        assertThat(s.state).doesNotExist();
        for (String region : REGIONS) {
            try (Ec2Client ec2 = Stack.ec2(region)) {
                assertThat(ec2.describeVpcs(q -> q.filters(Filter.builder()
                                        .name("tag:srv6sh:stack")
                                        .values("quickstart")
                                        .build()))
                                .vpcs())
                        .as(region)
                        .isEmpty();
            }
        }
    }

    @Test
    void destroyReadsTheStateAgainOnceItHoldsTheLock() throws Exception {
        Stack s = new Stack(dir);
        // made before the state file exists (as a REPL's provider is), then another process applies
        AwsProvider early = new AwsProvider(
                new dev.srv6sh.cloud.ProviderOptions(1, MotoServer.endpoint(), null, null, s.state, s.script),
                AwsProviderFactory.bootstrap());
        try (early) {
            ok(s.run(Lifecycle.Action.APPLY));
            early.destroy();
        }
        // what the file recorded when the lock was taken is gone, not what it said at construction
        assertThat(s.state).doesNotExist();
        for (String region : REGIONS) {
            try (Ec2Client ec2 = Stack.ec2(region)) {
                assertThat(ec2.describeVpcs(q -> q.filters(Filter.builder()
                                        .name("tag:srv6sh:stack")
                                        .values("quickstart")
                                        .build()))
                                .vpcs())
                        .as(region)
                        .isEmpty();
            }
        }
    }

    @Test
    void aBucketOfAnotherStackIdIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Stack first = new Stack(dir.resolve("a"));
        Stack second = new Stack(dir.resolve("b"));
        ok(first.run(Lifecycle.Action.APPLY));
        StateFile.State st = StateFile.read(first.state);
        // a state that names the first's bucket under another ID (edited by hand, or copied and edited)
        StateFile.write(
                second.state,
                "aws",
                second.script,
                st.spec(),
                "quickstart",
                "0badc0de",
                Map.of("bucket", st.resources().get("bucket")));
        Recorder.clear();
        Stack.Run refused = second.run(Lifecycle.Action.APPLY);
        assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCode.RUNTIME_ERROR);
        assertThat(refused.err())
                .contains("the bucket " + st.resources().get("bucket") + " belongs to another stack named quickstart")
                .contains(st.stackId())
                .doesNotContain("\tat ");
        assertThat(Recorder.calls().stream().filter(Recorder.Call::mutating)).isEmpty();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
