package io.tokenrotator.contract;

import java.util.List;
import java.util.Map;

/**
 * Output of the Summarize handler, and the execution's output when it succeeds. {@code stacks} lists problem
 * stacks first and is cut to fit the payload limit ({@code stacksOmitted} says how many were left out: the full
 * report is at {@code reportLocation}). {@code failed} is true when any stack is FAILED or NEEDS_ATTENTION;
 * {@code cause} then names them, and becomes the failed execution's Cause.
 */
public record RunReport(String runId, String parameterName, SecretSummary secret, String ignoredReason,
                        Map<Outcome, Integer> counts, List<StackResult> stacks, int stacksOmitted,
                        String reportLocation, boolean failed, String cause) {}
