package io.tokenrotator.contract;

/** Input of the Stack Status handler. */
public record StackStatusInput(StackRef stack, String parameterName) {}
