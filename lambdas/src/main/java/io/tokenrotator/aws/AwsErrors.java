package io.tokenrotator.aws;

import io.tokenrotator.errors.AccessDeniedException;
import io.tokenrotator.errors.AwsUnavailableException;
import io.tokenrotator.errors.ThrottledException;
import io.tokenrotator.errors.TokenRotatorException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules every service shares, applied after the SDK's own retries: throttling is retryable
 * ({@link ThrottledException}), a 5xx or a network error is retryable ({@link AwsUnavailableException}), an IAM
 * denial is terminal ({@link AccessDeniedException}). Each service's own translation ({@link CloudFormationErrors},
 * {@link SecretsManagerErrors}, {@link StepFunctionsErrors}, {@link S3Errors}) starts here and adds its own codes.
 */
public final class AwsErrors {
    /*
     * Denials: CloudFormation (Query protocol) and S3 answer code "AccessDenied" with HTTP 403; Secrets Manager and
     * Step Functions (JSON protocol) answer "AccessDeniedException" with HTTP 400 (each API reference's "Common
     * Errors"). IAM's message names the action and the resource: "User: <arn> is not authorized to perform:
     * <action> on resource: <arn> because ..." (IAM user guide, "Troubleshooting access denied error messages").
     */
    private static final Pattern ACTION = Pattern.compile("not authorized to perform:? ([A-Za-z0-9-]+:[A-Za-z0-9]+)");
    private static final Pattern RESOURCE = Pattern.compile("on resource:? (\\S+?)(?: because|[.,;]?$|[.,;]? )");

    private AwsErrors() {}

    /** The shared translation, or empty when the service's own rules decide. */
    static Optional<TokenRotatorException> common(String service, String stackName, SdkException e) {
        if (!(e instanceof AwsServiceException s)) {
            return Optional.of(new AwsUnavailableException(stackName, service + " call failed: " + e.getMessage()));
        }
        String code = code(s);
        String message = message(s);
        if (s.isThrottlingException() || "Throttling".equals(code)) {
            return Optional.of(new ThrottledException(stackName, "throttled by " + service + " ("
                    + code + ": " + message + ")"));
        }
        if (s.statusCode() >= 500) {
            return Optional.of(new AwsUnavailableException(stackName, service + ": " + code + ": " + message));
        }
        if ("AccessDenied".equals(code) || "AccessDeniedException".equals(code)) {
            return Optional.of(new AccessDeniedException(stackName, service, group(ACTION, message),
                    group(RESOURCE, message), message));
        }
        return Optional.empty();
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
    }

    private static String group(Pattern p, String message) {
        Matcher m = p.matcher(String.valueOf(message));
        return m.find() ? m.group(1) : null;
    }
}
