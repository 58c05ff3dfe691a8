package io.tokenrotator.contract;

/** The workflow's restore loop: attempts made so far and the wait before the next one. */
public record RestoreState(int attempt, int delaySeconds) {}
