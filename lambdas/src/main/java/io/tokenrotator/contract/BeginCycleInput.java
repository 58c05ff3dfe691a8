package io.tokenrotator.contract;

/** Begin Cycle's input: the execution's input and its ARN ({@code $$.Execution.Id}). */
public record BeginCycleInput(CycleRequest request, String executionId) {}
