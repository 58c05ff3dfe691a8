package io.tokenrotator.contract;

/** Output of the Update Stack handler. {@code previousValue} is the parameter value before the call. */
public record UpdateStackOutput(String stackName, String stackId, String target, String previousValue,
                                UpdateResult result, String clientRequestToken) {}
