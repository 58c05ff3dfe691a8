package io.tokenrotator.contract;

/**
 * Input of the Stack Status handler.
 *
 * @param expectedSeconds how long the update is expected to take (optional): times the next check
 * @param settings        the run's settings (optional; the defaults without): pollSeconds and the phase's time
 *                        budget time the next check
 * @param checksMade      status checks the phase made before this one (optional, 0 without): the phase's checks
 *                        (settings.maxPolls) must last its whole waiting time
 */
public record StackStatusInput(StackRef stack, String parameterName, Integer expectedSeconds, RunSettings settings,
                               Integer checksMade) {
    public StackStatusInput(StackRef stack, String parameterName) {
        this(stack, parameterName, null, null, null);
    }
}
