package io.tokenrotator.contract;

/**
 * A stack that declares the parameter but will not be rotated, and why. {@code parameterValue} and {@code status} are
 * as it was found: a NOT_UPDATABLE stack at "false" has lost its gated resources and is reported NEEDS_ATTENTION, with
 * the repair its status calls for.
 */
public record SkippedStack(String stackName, String stackId, SkipReason reason, String detail, String parameterValue,
                           String status) {}
