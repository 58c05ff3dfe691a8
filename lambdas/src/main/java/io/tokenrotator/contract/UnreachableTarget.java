package io.tokenrotator.contract;

/**
 * A target (account and region) whose stacks could not be listed, and so were not rotated: why, and what to do.
 * The others go on; the run's report names it and the execution fails so that the alarm fires.
 */
public record UnreachableTarget(String target, String reason, String action) {}
