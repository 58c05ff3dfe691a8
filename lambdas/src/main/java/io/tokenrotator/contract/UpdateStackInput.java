package io.tokenrotator.contract;

/**
 * Input of the Update Stack handler: set {@code parameterName} (default RotateToken) of {@code stack} to
 * {@code target} ("true" or "false"). {@code runId} and {@code attempt} (default 0) feed the ClientRequestToken;
 * {@code settings} (default: the defaults) decide how long the run's lease on the stack lasts and the run's
 * UpdateStack rate; {@code slot} (optional, an ISO-8601 instant: the stack's start slot, from Load Planned Stack)
 * places the call on the run's grid of UpdateStack calls ({@link io.tokenrotator.service.SlotGrid}).
 */
public record UpdateStackInput(String runId, StackRef stack, String target, String parameterName, Integer attempt,
                               RunSettings settings, String slot) {
    public UpdateStackInput(String runId, StackRef stack, String target, String parameterName, Integer attempt) {
        this(runId, stack, target, parameterName, attempt, null, null);
    }

    public UpdateStackInput(String runId, StackRef stack, String target, String parameterName, Integer attempt,
                            RunSettings settings) {
        this(runId, stack, target, parameterName, attempt, settings, null);
    }
}
