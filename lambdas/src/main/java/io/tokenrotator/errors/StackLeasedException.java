package io.tokenrotator.errors;

/**
 * Retryable: another Token Rotator run holds this stack's lease (two runs must never update one stack at the same
 * time); wait until that run releases it. The workflow matches this class's fully qualified name: never wrap it.
 */
public class StackLeasedException extends TokenRotatorException {
    public StackLeasedException(String stackName, String message) {
        super(stackName, message);
    }
}
