package io.tokenrotator.errors;

/**
 * Terminal: CloudFormation refused the update for a reason waiting will not fix: the stack is gone or in a state that can never be updated, capabilities are missing, its stack policy denies deleting the gated resources, or another validation error. Carries CloudFormation's message.
 * The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 */
public class StackNotUpdatableException extends TokenRotatorException {
    public StackNotUpdatableException(String stackName, String message) {
        super(stackName, message);
    }
}
