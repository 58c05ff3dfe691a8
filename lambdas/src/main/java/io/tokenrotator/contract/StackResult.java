package io.tokenrotator.contract;

/**
 * The report line of one stack: its outcome, why, and (for FAILED and NEEDS_ATTENTION) what to do.
 * {@code parameterValue} is the last value the workflow read of the stack's rotation parameter (RotateToken "false"
 * means the gated resources are gone); {@code convention} is null for a stack that could not be loaded.
 */
public record StackResult(int index, String stackName, String stackId, Outcome outcome, String reason, String action,
                          String status, String parameterValue, Convention convention) {}
