package io.tokenrotator.errors;

/**
 * Base of every error a handler lets escape. The Java Lambda runtime reports the concrete class's fully
 * qualified name as the error type, so the state machine can tell retryable from terminal failures.
 */
public abstract class TokenRotatorException extends RuntimeException {
    private final String stackName;

    protected TokenRotatorException(String stackName, String message) {
        super(stackName == null ? message : "stack " + stackName + ": " + message);
        this.stackName = stackName;
    }

    /** The stack the error is about, or null when it is not about one stack. */
    public String stackName() {
        return stackName;
    }
}
