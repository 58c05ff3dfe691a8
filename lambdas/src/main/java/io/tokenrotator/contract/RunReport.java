package io.tokenrotator.contract;

import java.util.List;
import java.util.Map;

/**
 * Output of the Summarize handler, and the execution's output when it succeeds. {@code stacks} lists problem
 * stacks first and is cut to fit the payload limit ({@code stacksOmitted} says how many were left out: the full
 * report is at {@code reportLocation}). {@code failed} is true when any stack is FAILED or NEEDS_ATTENTION;
 * {@code cause} then names them, and becomes the failed execution's Cause. With several targets (accounts and
 * regions), {@code countsByTarget} counts each one's outcomes ({@code <account>/<region>}), and
 * {@code unreachableTargets} names those whose stacks could not be listed (the run then counts as failed).
 */
public record RunReport(String runId, String parameterName, SecretSummary secret, String ignoredReason,
                        Map<Outcome, Integer> counts, List<StackResult> stacks, int stacksOmitted,
                        String reportLocation, boolean failed, String cause,
                        Map<String, Map<Outcome, Integer>> countsByTarget, List<UnreachableTarget> unreachableTargets) {
    public RunReport {
        countsByTarget = countsByTarget == null ? Map.of() : countsByTarget;
        unreachableTargets = unreachableTargets == null ? List.of() : List.copyOf(unreachableTargets);
    }

    /** A report of one account and region. */
    public RunReport(String runId, String parameterName, SecretSummary secret, String ignoredReason,
                     Map<Outcome, Integer> counts, List<StackResult> stacks, int stacksOmitted, String reportLocation,
                     boolean failed, String cause) {
        this(runId, parameterName, secret, ignoredReason, counts, stacks, stacksOmitted, reportLocation, failed, cause,
                Map.of(), List.of());
    }
}
