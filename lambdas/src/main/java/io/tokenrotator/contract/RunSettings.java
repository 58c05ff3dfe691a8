package io.tokenrotator.contract;

import io.tokenrotator.settings.DeploymentSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * How the workflow paces one run, as the workflow carries it: from the deployment's settings
 * ({@link DeploymentSettings#runSettings()}), with maxConcurrency overridable per execution. The state machine reads these through *Path fields.
 *
 * @param maxConcurrency       stacks rotated at the same time (Distributed Map MaxConcurrencyPath)
 * @param pollSeconds          wait between two Stack Status checks
 * @param maxPolls             status checks each phase may use (phase 1, phase 2, and every restore attempt each get
 *                             this many) before the stack is reported NEEDS_ATTENTION
 * @param restoreAttempts      extra RotateToken=true attempts after phase 2 failed or rolled back
 * @param restoreDelaySeconds  wait before the first restore attempt
 * @param restoreDelaysSeconds the wait before each restore attempt: doubling from restoreDelaySeconds, capped at
 *                             {@link #MAX_RESTORE_DELAY_SECONDS}
 * @param updateStackRate      UpdateStack calls per second the run may spend: Find Stacks gives each planned stack
 *                             a start slot from it
 */
public record RunSettings(int maxConcurrency, int pollSeconds, int maxPolls, int restoreAttempts,
                          int restoreDelaySeconds, List<Integer> restoreDelaysSeconds, int updateStackRate) {
    public static final int MAX_RESTORE_DELAY_SECONDS = 900;

    /** Without {@code restoreDelaysSeconds} (a direct caller's settings), the delays follow from the first one. */
    public RunSettings {
        restoreDelaysSeconds = restoreDelaysSeconds == null ? restoreDelays(restoreAttempts, restoreDelaySeconds)
                : List.copyOf(restoreDelaysSeconds);
    }

    public RunSettings(int maxConcurrency, int pollSeconds, int maxPolls, int restoreAttempts, int restoreDelaySeconds,
                       int updateStackRate) {
        this(maxConcurrency, pollSeconds, maxPolls, restoreAttempts, restoreDelaySeconds, null, updateStackRate);
    }

    /** With the default {@code updateStackRate}. */
    public RunSettings(int maxConcurrency, int pollSeconds, int maxPolls, int restoreAttempts, int restoreDelaySeconds) {
        this(maxConcurrency, pollSeconds, maxPolls, restoreAttempts, restoreDelaySeconds,
                io.tokenrotator.settings.Setting.UPDATE_STACK_RATE.defaultValue());
    }

    /** The same settings with another concurrency (an execution's override). */
    public RunSettings withMaxConcurrency(int concurrency) {
        return new RunSettings(concurrency, pollSeconds, maxPolls, restoreAttempts, restoreDelaySeconds,
                restoreDelaysSeconds, updateStackRate);
    }


    /**
     * How long a run's lease on a stack lasts without renewal: longer than the longest stretch between two of the
     * run's updates of the stack (a phase's status checks, busy-stack retries, a restore delay), so only a run that
     * died loses it.
     */
    public java.time.Duration leaseTimeToLive() {
        return java.time.Duration.ofSeconds((long) maxPolls * pollSeconds + MAX_RESTORE_DELAY_SECONDS)
                .plus(java.time.Duration.ofHours(2));
    }

    /**
     * Waiting time of one phase, in seconds: maxWaitMinutes rounded up to whole pollSeconds. Stack Status schedules
     * no check later than this after the phase's update started.
     */
    public long maxWaitSecondsPerPhase() {
        return (long) maxPolls * pollSeconds;
    }

    /** Status-check time of one phase, in minutes. */
    public int maxWaitMinutesPerPhase() {
        return maxPolls * pollSeconds / 60;
    }

    /** Doubling from {@code first}, each capped at {@link #MAX_RESTORE_DELAY_SECONDS}. */
    public static List<Integer> restoreDelays(int attempts, int first) {
        List<Integer> delays = new ArrayList<>();
        long delay = first;
        for (int i = 0; i < attempts; i++) {
            delays.add((int) Math.min(delay, MAX_RESTORE_DELAY_SECONDS));
            delay = Math.min(delay * 2, MAX_RESTORE_DELAY_SECONDS);
        }
        return delays;
    }
}
