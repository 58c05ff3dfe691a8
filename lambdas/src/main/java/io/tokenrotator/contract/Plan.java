package io.tokenrotator.contract;

import java.util.List;

/** Everything Find Stacks decided, kept in the run store: the full lists behind its compact output. */
public record Plan(String runId, String parameterName, SecretSummary secret, String ignoredReason,
                   List<PlannedStack> toRotate, List<SkippedStack> skipped) {}
