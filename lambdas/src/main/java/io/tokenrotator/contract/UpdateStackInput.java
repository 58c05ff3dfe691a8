package io.tokenrotator.contract;

/**
 * Input of the Update Stack handler: set {@code parameterName} (default RotateToken) of {@code stack} to
 * {@code target} ("true" or "false"). {@code runId} and {@code attempt} (default 0) feed the ClientRequestToken;
 * {@code settings} (default: the defaults) decide how long the run's lease on the stack lasts. {@code sendAt}
 * (optional, an ISO-8601 instant) is the call's point in the run's pacing: the UpdateStack call is not sent before
 * it (see {@link io.tokenrotator.service.StartSlots}); a point that has passed is not waited for: the call goes at once,
 * except on the phase's first try ({@code tries}: the tries and status checks the phase made before, the workflow's
 * phase.polls, 0 without) more than five seconds late with a later point {@code lateSendAt} (optional) to go to: it is
 * then not sent (SlotMissedException) and the workflow loads the stack again for that point.
 */
public record UpdateStackInput(String runId, StackRef stack, String target, String parameterName, Integer attempt,
                               RunSettings settings, String sendAt, String lateSendAt, Integer tries) {
    public UpdateStackInput(String runId, StackRef stack, String target, String parameterName, Integer attempt) {
        this(runId, stack, target, parameterName, attempt, null, null, null, null);
    }

    public UpdateStackInput(String runId, StackRef stack, String target, String parameterName, Integer attempt,
                            RunSettings settings) {
        this(runId, stack, target, parameterName, attempt, settings, null, null, null);
    }
}
