package io.tokenrotator.port;

/** Starts executions of the rotation state machine (StartExecution). */
public interface ExecutionStarter {
    enum Started { STARTED, ALREADY_EXISTS }

    /** Starts an execution named {@code name}; an existing execution of that name is reported, not an error. */
    Started start(String name, String inputJson);
}
