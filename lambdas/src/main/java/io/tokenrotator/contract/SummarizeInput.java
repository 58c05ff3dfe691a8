package io.tokenrotator.contract;

/** Input of the Summarize handler. */
public record SummarizeInput(String runId) {}
