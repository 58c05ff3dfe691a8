package io.tokenrotator.port;

import java.util.Optional;

/** DescribeExecution by ARN: the status of any execution (RUNNING, SUCCEEDED, ...), empty when it does not exist. */
public interface ExecutionLookup {
    Optional<String> status(String executionArn);
}
