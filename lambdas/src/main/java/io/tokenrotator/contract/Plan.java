package io.tokenrotator.contract;

import java.util.List;

/**
 * Everything Find Stacks decided, kept in the run store: the full lists behind its compact output.
 * {@code parameterName} and {@code versionParameterName} are the parameters of the two conventions
 * ({@link Convention}).
 */
public record Plan(String runId, String parameterName, String versionParameterName, SecretSummary secret,
                   String ignoredReason, List<PlannedStack> toRotate, List<SkippedStack> skipped,
                   List<UnreachableTarget> unreachableTargets) {
    public Plan {
        unreachableTargets = unreachableTargets == null ? List.of() : List.copyOf(unreachableTargets);
    }

    /** A plan in which every target was reached (and a single-account deployment's). */
    public Plan(String runId, String parameterName, String versionParameterName, SecretSummary secret,
                String ignoredReason, List<PlannedStack> toRotate, List<SkippedStack> skipped) {
        this(runId, parameterName, versionParameterName, secret, ignoredReason, toRotate, skipped, List.of());
    }
}
