package io.tokenrotator.contract;

/** How many Stack Status checks a stack has used. */
public record PollState(int count) {}
