package io.tokenrotator.errors;

/**
 * Retryable: the stack is in an *_IN_PROGRESS state (another operation runs); wait and try again.
 * The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 */
public class StackBusyException extends TokenRotatorException {
    public StackBusyException(String stackName, String message) {
        super(stackName, message);
    }
}
