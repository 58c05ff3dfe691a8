package io.tokenrotator.contract;

/**
 * A stack that declares the parameter but will not be rotated, and why. {@code parameterValue} is its value when it
 * was found: a NOT_UPDATABLE stack at "false" has lost its gated resources and is reported NEEDS_ATTENTION.
 */
public record SkippedStack(String stackName, String stackId, SkipReason reason, String detail, String parameterValue) {}
