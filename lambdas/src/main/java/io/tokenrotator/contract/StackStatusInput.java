package io.tokenrotator.contract;

/**
 * Input of the Stack Status handler.
 *
 * @param expectedSeconds how long the update is expected to take (optional): times the next check
 * @param settings        the run's settings (optional; the defaults without): pollSeconds and the phase's time
 *                        budget time the next check
 */
public record StackStatusInput(StackRef stack, String parameterName, Integer expectedSeconds, RunSettings settings) {
    public StackStatusInput(StackRef stack, String parameterName) {
        this(stack, parameterName, null, null);
    }
}
