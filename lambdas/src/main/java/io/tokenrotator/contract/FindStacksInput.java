package io.tokenrotator.contract;

/**
 * Input of the Find Stacks handler: the run's id (the execution name) and the execution input.
 * {@link io.tokenrotator.service.InputRules} validates it and fills the defaults.
 */
public record FindStacksInput(String runId, RotationRequest request) {}
