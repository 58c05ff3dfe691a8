package io.tokenrotator.errors;

/**
 * Retryable: CloudFormation or Secrets Manager answered Throttling after the SDK's own retries (UpdateStack: at
 * once, the SDK does not retry it; the workflow's phase loop does).
 * The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 */
public class ThrottledException extends TokenRotatorException {
    public ThrottledException(String stackName, String message) {
        super(stackName, message);
    }
}
