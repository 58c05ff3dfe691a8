package io.tokenrotator.aws;

import io.tokenrotator.errors.AwsUnavailableException;
import io.tokenrotator.errors.StackBusyException;
import io.tokenrotator.errors.StackNotUpdatableException;
import io.tokenrotator.errors.ThrottledException;
import io.tokenrotator.errors.TokenRotatorException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.regex.Pattern;

/**
 * Turns what the SDK throws (after its own retries) into Token Rotator's retryable and terminal error types. Written
 * for CloudFormation's error codes; the same rules hold for the other services' throttling and server errors.
 */
public final class CloudFormationErrors {
    private static final Pattern BUSY = Pattern.compile(".*is in [A-Z_]+_IN_PROGRESS state and can not be updated.*",
            Pattern.DOTALL);

    private CloudFormationErrors() {}

    public static boolean isNoUpdates(AwsServiceException e) {
        return "ValidationError".equals(code(e)) && String.valueOf(message(e)).contains("No updates are to be performed");
    }

    public static boolean isDoesNotExist(AwsServiceException e) {
        return "ValidationError".equals(code(e)) && String.valueOf(message(e)).contains("does not exist");
    }

    public static TokenRotatorException translate(String stackName, SdkException e) {
        if (!(e instanceof AwsServiceException service)) {
            return new AwsUnavailableException(stackName, "AWS call failed: " + e.getMessage());
        }
        String code = code(service);
        String message = message(service);
        if (service.isThrottlingException() || "Throttling".equals(code)) {
            return new ThrottledException(stackName, "throttled by " + service.awsErrorDetails().serviceName()
                    + " after the SDK's retries (" + code + ": " + message + ")");
        }
        if (service.statusCode() >= 500) {
            return new AwsUnavailableException(stackName, code + ": " + message);
        }
        if (message != null && BUSY.matcher(message).matches() && !message.contains("REVIEW_IN_PROGRESS")) {
            return new StackBusyException(stackName, message);
        }
        return new StackNotUpdatableException(stackName, code + ": " + message);
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }
}
