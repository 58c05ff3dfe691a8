package io.tokenrotator.contract;

/**
 * How the workflow paces one run, from the deployment's configuration (the Find Stacks function's environment),
 * with maxConcurrency overridable per execution. The state machine reads these through *Path fields.
 *
 * @param maxConcurrency      stacks rotated at the same time (Distributed Map MaxConcurrencyPath)
 * @param pollSeconds         wait between two Stack Status checks
 * @param maxPolls            status checks one stack may use before it is reported NEEDS_ATTENTION
 * @param restoreAttempts     extra RotateToken=true attempts after phase 2 failed or rolled back
 * @param restoreDelaySeconds wait before the first restore attempt; doubled before each next one
 */
public record RunSettings(int maxConcurrency, int pollSeconds, int maxPolls, int restoreAttempts,
                          int restoreDelaySeconds) {
    public static final RunSettings DEFAULTS = new RunSettings(40, 20, 270, 3, 60);
}
