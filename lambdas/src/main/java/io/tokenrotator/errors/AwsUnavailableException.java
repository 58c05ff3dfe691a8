package io.tokenrotator.errors;

/**
 * Retryable: an AWS call failed with a server-side or network error after the SDK's own retries.
 * The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 */
public class AwsUnavailableException extends TokenRotatorException {
    public AwsUnavailableException(String stackName, String message) {
        super(stackName, message);
    }
}
