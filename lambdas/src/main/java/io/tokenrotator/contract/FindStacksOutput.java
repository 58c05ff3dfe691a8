package io.tokenrotator.contract;

import java.util.List;
import java.util.Map;

/**
 * Output of the Find Stacks handler. Sized for Step Functions' 256 KiB payload limit: the stacks themselves stay
 * in the run store ({@code planLocation}); the workflow iterates over {@code items}, their indices (about 5 bytes
 * a stack, ~30 KB at 5,000 stacks), and the previews are capped at {@link #PREVIEW_LIMIT} entries.
 */
public record FindStacksOutput(String runId, String parameterName, String versionParameterName, SecretSummary secret,
                               String ignoredReason,
                               int toRotateCount, int skippedCount, List<Integer> items,
                               List<String> toRotatePreview, List<SkippedStack> skippedPreview,
                               Map<SkipReason, Integer> skippedByReason, String planLocation, boolean dryRun,
                               RunSettings settings) {
    public static final int PREVIEW_LIMIT = 20;
}
