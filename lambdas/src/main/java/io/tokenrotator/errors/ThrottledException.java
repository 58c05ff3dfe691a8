package io.tokenrotator.errors;

/**
 * Retryable: CloudFormation or Secrets Manager kept answering Throttling after the SDK's own retries.
 * The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 */
public class ThrottledException extends TokenRotatorException {
    public ThrottledException(String stackName, String message) {
        super(stackName, message);
    }
}
