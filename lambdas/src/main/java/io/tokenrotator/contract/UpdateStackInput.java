package io.tokenrotator.contract;

/**
 * Input of the Update Stack handler: set {@code parameterName} (default RotateToken) of {@code stack} to
 * {@code target} ("true" or "false"). {@code runId} and {@code attempt} (default 0) feed the ClientRequestToken;
 * {@code settings} (default: the defaults) decide how long the run's lease on the stack lasts.
 */
public record UpdateStackInput(String runId, StackRef stack, String target, String parameterName, Integer attempt,
                               RunSettings settings) {
    public UpdateStackInput(String runId, StackRef stack, String target, String parameterName, Integer attempt) {
        this(runId, stack, target, parameterName, attempt, null);
    }
}
