package io.tokenrotator.contract;

/**
 * Input of the Update Stack handler: set {@code parameterName} (default RotateToken) of {@code stack} to
 * {@code target} ("true" or "false"). {@code runId} and {@code attempt} (default 0) feed the ClientRequestToken.
 */
public record UpdateStackInput(String runId, StackRef stack, String target, String parameterName, Integer attempt) {}
