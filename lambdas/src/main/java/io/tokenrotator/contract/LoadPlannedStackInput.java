package io.tokenrotator.contract;

/** Input of the Load Planned Stack handler: which item of which run's plan. */
public record LoadPlannedStackInput(String runId, Integer index) {}
