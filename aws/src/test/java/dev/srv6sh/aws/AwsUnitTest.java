package dev.srv6sh.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.srv6sh.dataplane.agent.JsonText;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** What the aws backend does without a cloud: error messages, the policy, names, rules. */
class AwsUnitTest {

    @Test
    void anAwsErrorIsOneLineWithServiceOperationCodeAndRequestId() {
        AwsServiceException e = AwsServiceException.builder()
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("UnauthorizedOperation")
                        .errorMessage("You are not authorized to perform this operation.\nEncoded message: x")
                        .build())
                .requestId("3f2a-11")
                .statusCode(403)
                .build();
        assertThat(AwsCall.failure("ec2", "CreateVpc", e).getMessage())
                .isEqualTo("ec2 CreateVpc: UnauthorizedOperation: You are not authorized to perform this operation."
                        + " (request id 3f2a-11)");
        AwsServiceException html = AwsServiceException.builder()
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorMessage("<!DOCTYPE html><html>…")
                        .build())
                .statusCode(500)
                .build();
        assertThat(AwsCall.failure("ec2", "DescribeThings", html).getMessage())
                .isEqualTo(
                        "ec2 DescribeThings: HTTP 500 with an HTML page (the endpoint does not implement this call)");
    }

    @Test
    void thePolicyIsJsonWithExactlyTheListedActions() {
        Object doc = JsonText.parse(AwsActions.policy());
        Map<?, ?> statement = (Map<?, ?>) ((List<?>) ((Map<?, ?>) doc).get("Statement")).getFirst();
        assertThat(statement.get("Effect")).isEqualTo("Allow");
        List<String> actions = ((List<?>) statement.get("Action"))
                .stream().map(String.class::cast).toList();
        assertThat(actions)
                .containsExactlyInAnyOrderElementsOf(AwsActions.ALL.stream()
                        .map(AwsActions.Action::iam)
                        .distinct()
                        .toList())
                .noneSatisfy(a -> assertThat(a).contains("*"));
    }

    @Test
    void stackAndBucketNamesAreWhatAwsAccepts() {
        assertThat(AwsProvider.stackOf("scripts/quickstart.srv6")).isEqualTo("quickstart");
        assertThat(AwsProvider.stackOf("my campaign (2).srv6")).isEqualTo("my-campaign--2-");
        assertThat(Reconciler.bucketName("Quick_Start", "123456789012")).isEqualTo("srv6sh-quick-start-123456789012");
        assertThat(Reconciler.bucketName("x".repeat(80), "123456789012")).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void rulesCompareAsAwsStoresThem() {
        assertThat(Rule.in("6", 22, 22, "203.0.113.7/32")).isEqualTo(Rule.in("tcp", 22, 22, "203.0.113.7/32"));
        assertThat(Rule.in("43", 0, 0, "2001:db8:0:1::/64")).isEqualTo(Rule.in("43", -1, -1, "2001:db8:0:1:0::/64"));
        assertThat(Rule.out("-1", -1, -1, "0.0.0.0/0").world()).isTrue();
        assertThat(Rule.in("icmpv6", -1, -1, "2001:db8::/64").toString())
                .isEqualTo("ingress icmpv6 from 2001:db8::/64");
    }
}
