package dev.srv6sh.aws;

import dev.srv6sh.cloud.ProviderException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One AWS call with its failure said the way users of the CLI read it: {@code ec2 CreateVpc:
 * UnauthorizedOperation: You are not authorized… (request id 3f2a…)}, never a stack trace.
 */
final class AwsCall {
    private AwsCall() {}

    /** A call that returns something. */
    static <T> T call(String service, String operation, Supplier<T> call) throws ProviderException {
        try {
            return call.get();
        } catch (SdkException e) {
            throw failure(service, operation, e);
        }
    }

    /** The error code of an AWS service error (null for other failures). */
    static String code(Throwable e) {
        return e instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? a.awsErrorDetails().errorCode()
                : null;
    }

    /** Whether {@code e} says the thing asked about does not exist ({@code InvalidVpcID.NotFound}, 404). */
    static boolean notFound(Throwable e) {
        String c = code(e);
        return (c != null && (c.endsWith(".NotFound") || c.endsWith("NotFound") || c.equals("NoSuchBucket")))
                || (e instanceof AwsServiceException a && a.statusCode() == 404);
    }

    static ProviderException failure(String service, String operation, SdkException e) {
        String what = service + " " + operation + ": ";
        if (e instanceof AwsServiceException a) {
            String code = a.awsErrorDetails() != null ? a.awsErrorDetails().errorCode() : null;
            String message = a.awsErrorDetails() != null ? a.awsErrorDetails().errorMessage() : null;
            if (message == null || message.isBlank()) {
                message = "HTTP " + a.statusCode();
            }
            if (message.contains("<html") || message.contains("<!DOCTYPE")) {
                message = "HTTP " + a.statusCode() + " with an HTML page (the endpoint does not implement this call)";
            }
            return new ProviderException(what
                    + (code == null ? "" : code + ": ")
                    + firstLine(message)
                    + (a.requestId() == null ? "" : " (request id " + a.requestId() + ")"));
        }
        if (e instanceof SdkClientException) {
            return new ProviderException(what + firstLine(e.getMessage()));
        }
        return new ProviderException(what + firstLine(String.valueOf(e.getMessage())));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 400 ? line.substring(0, 400) + "…" : line;
    }
}
