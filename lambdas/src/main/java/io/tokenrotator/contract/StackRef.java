package io.tokenrotator.contract;

/** A stack as the workflow passes it between states: its name for people, its id (ARN) for every call. */
public record StackRef(String stackName, String stackId) {}
