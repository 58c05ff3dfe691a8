package io.tokenrotator.contract;

/**
 * Output of the Stack Status handler; {@code statusReason} is set when the stack rolled back or failed.
 *
 * @param elapsedSeconds   seconds since the stack's last operation started (DescribeStacks' LastUpdatedTime, or
 *                         CreationTime for a stack never updated); 0 when the stack no longer exists
 * @param nextCheckSeconds when to check again if it is still in progress ({@link
 *                         io.tokenrotator.service.CheckSchedule}); 0 when the phase's waiting time is used up
 */
public record StackStatusOutput(String stackName, String stackId, String status, StatusClass classification,
                                String parameterValue, String statusReason, long elapsedSeconds, int nextCheckSeconds) {}
