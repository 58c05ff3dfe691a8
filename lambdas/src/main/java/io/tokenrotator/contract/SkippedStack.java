package io.tokenrotator.contract;

/** A stack that declares the parameter but will not be rotated, and why. */
public record SkippedStack(String stackName, String stackId, SkipReason reason, String detail) {}
