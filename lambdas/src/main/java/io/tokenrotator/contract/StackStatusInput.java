package io.tokenrotator.contract;

/**
 * Input of the Stack Status handler.
 *
 * @param expectedSeconds how long the update is expected to take (optional): times the next check
 * @param settings        the run's settings (optional; the defaults without): pollSeconds and the phase's time
 *                        budget time the next check
 * @param checksMade      status checks the phase made before this one (optional, 0 without): the phase's checks
 *                        (settings.maxPolls) must last its whole waiting time
 * @param nextUpdateAt    the point reserved for the stack's next update (optional, an ISO-8601 instant: phase 2's,
 *                        when checking phase 1): the update is expected to have settled a little before it
 *                        ({@link io.tokenrotator.service.StartSlots#LEAD}), so the check that sees it comes then
 */
public record StackStatusInput(StackRef stack, String parameterName, Integer expectedSeconds, RunSettings settings,
                               Integer checksMade, String nextUpdateAt) {
    public StackStatusInput(StackRef stack, String parameterName) {
        this(stack, parameterName, null, null, null, null);
    }

    public StackStatusInput(StackRef stack, String parameterName, Integer expectedSeconds, RunSettings settings,
                            Integer checksMade) {
        this(stack, parameterName, expectedSeconds, settings, checksMade, null);
    }
}
