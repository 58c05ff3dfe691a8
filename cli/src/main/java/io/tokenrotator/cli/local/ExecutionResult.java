package io.tokenrotator.cli.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * How a local execution of the state machine ended: SUCCEEDED with its output, or FAILED with the error name and
 * cause Step Functions would show. {@code transitions} counts entered states; {@code retries} counts Retry
 * activations by the first error name of the matching retrier.
 */
public record ExecutionResult(String executionName, String status, JsonNode output, String error, String cause,
                              long transitions, Map<String, Long> retries, long realMillis) {
    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }
}
