package io.tokenrotator.port;

import java.util.Optional;

/** Starts and looks up executions of the rotation state machine (StartExecution, DescribeExecution). */
public interface ExecutionStarter {
    enum Started { STARTED, ALREADY_EXISTS }

    /**
     * Starts an execution named {@code name}. A closed execution of that name (or an open one with another input)
     * answers ExecutionAlreadyExists, reported as ALREADY_EXISTS, not as an error. An open one with the same input is
     * idempotent: StartExecution succeeds and this reports STARTED (API_StartExecution).
     */
    Started start(String name, String inputJson);

    /**
     * The status of the execution with this name (DescribeExecution: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED,
     * PENDING_REDRIVE), or empty when there is none (ExecutionDoesNotExist).
     */
    Optional<String> status(String name);
}
