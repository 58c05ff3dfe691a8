package io.tokenrotator.contract;

/** Input of a lifecycle function that does one of several steps: {@code {"step": "check", "cycle": {...}}}. */
public record CycleStepInput(String step, Cycle cycle) {}
