package dev.srv6sh.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS call the SDK makes in this JVM (registered for all clients through the SDK's
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}): service, operation,
 * region and request, in order. It can also crash an apply: after the {@code n}th mutating call
 * has been answered, it throws, as if srv6sh had died right after AWS made something.
 */
public final class Recorder implements ExecutionInterceptor {
    /** One call. */
    public record Call(String service, String operation, String region, SdkRequest request) {
        public String name() {
            return service + ":" + operation;
        }

        public boolean mutating() {
            return AwsActions.isMutating(operation);
        }
    }

    private static final List<Call> CALLS = new ArrayList<>();
    private static int crashAfter = -1;
    private static String crashOn;
    private static int mutating;

    public static synchronized void reset() {
        CALLS.clear();
        crashOn = null;
        crashAfter = -1;
        refuseOn = null;
        refusals = 0;
        mutating = 0;
    }

    /** Throws after the {@code n}th mutating call from now has succeeded. */
    public static synchronized void crashAfter(int n) {
        crashAfter = n;
        mutating = 0;
    }

    /** Throws once the next call of {@code operation} has succeeded. */
    /**
     * Answers the next {@code times} calls of {@code operation} with the AWS error {@code code} (HTTP
     * 400), before they reach the endpoint: what real EC2 says where moto does not.
     */
    public static synchronized void refuse(String operation, int times, String code) {
        refuseOn = operation;
        refusals = times;
        refuseCode = code;
    }

    private static String refuseOn;
    private static int refusals;
    private static String refuseCode;

    public static synchronized void crashAfter(String operation) {
        crashOn = operation;
    }

    public static synchronized List<Call> calls() {
        return List.copyOf(CALLS);
    }

    public static synchronized void clear() {
        CALLS.clear();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        var region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        synchronized (Recorder.class) {
            CALLS.add(new Call(
                    service == null ? "?" : service.toLowerCase(java.util.Locale.ROOT),
                    op,
                    region == null ? null : region.id(),
                    context.request()));
            if (op != null && op.equals(refuseOn) && refusals > 0) {
                refusals--;
                throw (software.amazon.awssdk.awscore.exception.AwsServiceException)
                        software.amazon.awssdk.awscore.exception.AwsServiceException.builder()
                                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                        .errorCode(refuseCode)
                                        .errorMessage("refused by the test (" + refuseCode + ")")
                                        .build())
                                .statusCode(400)
                                .requestId("test-refusal")
                                .build();
            }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        synchronized (Recorder.class) {
            if (crashAfter > 0 && AwsActions.isMutating(op) && ++mutating == crashAfter) {
                crashAfter = -1;
                throw new IllegalStateException("test crash after " + op);
            }
            if (op.equals(crashOn)) {
                crashOn = null;
                throw new IllegalStateException("test crash after " + op);
            }
        }
    }
}
