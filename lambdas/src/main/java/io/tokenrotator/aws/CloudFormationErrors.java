package io.tokenrotator.aws;

import io.tokenrotator.errors.StackBusyException;
import io.tokenrotator.errors.StackNotUpdatableException;
import io.tokenrotator.errors.TokenRotatorException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.regex.Pattern;

/**
 * CloudFormation's errors (after the SDK's own retries): the shared rules of {@link AwsErrors}, then a stack that is
 * busy ({@code ... is in UPDATE_IN_PROGRESS state and can not be updated}) is retryable, and every other refusal
 * is {@link StackNotUpdatableException} with CloudFormation's message.
 */
public final class CloudFormationErrors {
    private static final Pattern BUSY = Pattern.compile(".*is in [A-Z_]+_IN_PROGRESS state and can not be updated.*",
            Pattern.DOTALL);

    private CloudFormationErrors() {}

    /** "No updates are to be performed." comes back as HTTP 400 ValidationError (API_UpdateStack). */
    public static boolean isNoUpdates(AwsServiceException e) {
        return "ValidationError".equals(AwsErrors.code(e))
                && String.valueOf(AwsErrors.message(e)).contains("No updates are to be performed");
    }

    public static boolean isDoesNotExist(AwsServiceException e) {
        return "ValidationError".equals(AwsErrors.code(e)) && String.valueOf(AwsErrors.message(e)).contains("does not exist");
    }

    public static TokenRotatorException translate(String stackName, SdkException e) {
        return AwsErrors.common("CloudFormation", stackName, e).orElseGet(() -> {
            AwsServiceException service = (AwsServiceException) e;
            String message = AwsErrors.message(service);
            if (message != null && BUSY.matcher(message).matches() && !message.contains("REVIEW_IN_PROGRESS")) {
                return new StackBusyException(stackName, message);
            }
            return new StackNotUpdatableException(stackName, AwsErrors.code(service) + ": " + message);
        });
    }
}
