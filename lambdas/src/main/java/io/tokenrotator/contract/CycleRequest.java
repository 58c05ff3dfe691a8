package io.tokenrotator.contract;

/**
 * The lifecycle execution's input (from its schedule or {@code ./token-rotator start --credential}):
 * {@code {"secretId": "<name or ARN of a managed secret>", "dryRun": true}}; dryRun is optional.
 */
public record CycleRequest(String secretId, Boolean dryRun) {}
