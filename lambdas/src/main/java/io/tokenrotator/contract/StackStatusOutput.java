package io.tokenrotator.contract;

/** Output of the Stack Status handler; {@code statusReason} is set when the stack rolled back or failed. */
public record StackStatusOutput(String stackName, String stackId, String status, StatusClass classification,
                                String parameterValue, String statusReason) {}
