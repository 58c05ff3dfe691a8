package io.tokenrotator.contract;

/**
 * Input of the Record Result handler: where the stack's path ended and what the workflow last saw of it. Every
 * field but runId, index and ending may be null (a stack that failed to load has no stack, update, status,
 * convention, parameter name or target).
 */
public record RecordResultInput(String runId, Integer index, Ending ending, StackRef stack, UpdateStackOutput update,
                                StackStatusOutput status, CaughtError error, RunSettings settings,
                                RestoreState restore, PollState polls, Convention convention,
                                String parameterName, String target) {}
