package io.tokenrotator.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Step Functions as far as Token Rotator reaches it: StartExecution and DescribeExecution on STANDARD state
 * machines. An execution runs only if its state machine has an {@link Executor} ({@link #onStart}: the local
 * environment plugs the ASL runner in); without one it stays RUNNING. Rules from the StartExecution API reference:
 * <ul>
 *   <li>a name is unique per state machine; a second start with the same name and the same input while the first
 *       is open succeeds and answers the first's ARN and start date (idempotent); a different input, or a closed
 *       execution whatever the input, is 400 {@code ExecutionAlreadyExists};</li>
 *   <li>a name has 1-80 characters, without whitespace, brackets {@code < > { } [ ]}, wildcards {@code ? *}, the
 *       characters {@code " # % \ ^ | ~ ` $ & , ; : /} or control characters, else 400 {@code InvalidName}; without a
 *       name Step Functions generates a UUID;</li>
 *   <li>an unknown state machine is 400 {@code StateMachineDoesNotExist}; an input that is not JSON is 400
 *       {@code InvalidExecutionInput}.</li>
 * </ul>
 * DescribeExecution (API reference): status RUNNING, SUCCEEDED or FAILED (TIMED_OUT and ABORTED are not modelled),
 * stopDate once ended, output only when it succeeded, error and cause when it failed; an unknown execution is 400
 * {@code ExecutionDoesNotExist}.
 */
public final class StepFunctionsModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BAD_NAME = Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1f\\x7f-\\x9f]");

    /** ExecutionStatus, as far as modelled. */
    public enum Status { RUNNING, SUCCEEDED, FAILED }

    /** One execution as DescribeExecution shows it. */
    public record Execution(String executionArn, String stateMachineArn, String name, String input, Instant startDate,
                            Status status, Optional<Instant> stopDate, Optional<String> output, Optional<String> error,
                            Optional<String> cause) {}

    /** Runs the executions of one state machine: told each start, it reports the end through the completion. */
    @FunctionalInterface
    public interface Executor {
        /** Called once per new execution, outside the model's lock; must not block for the execution's length. */
        void start(String name, String input, Completion completion);
    }

    /** How an executor reports an execution's end; only the first report counts. */
    public interface Completion {
        void succeeded(String output);

        void failed(String error, String cause);
    }

    private final SimClock clock;
    private final Set<String> stateMachines = ConcurrentHashMap.newKeySet();
    private final Map<String, Executor> executors = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new LinkedHashMap<>();

    public StepFunctionsModel(SimClock clock) {
        this.clock = clock;
    }

    /** CreateStateMachine, as far as StartExecution needs it: the ARN exists. */
    public void createStateMachine(String stateMachineArn) {
        stateMachines.add(stateMachineArn);
    }

    /** Every later execution of this state machine is handed to {@code executor} (replacing any earlier one). */
    public void onStart(String stateMachineArn, Executor executor) {
        executors.put(stateMachineArn, executor);
    }

    public Execution startExecution(String stateMachineArn, String name, String input) {
        Execution started;
        synchronized (this) {
            if (!stateMachines.contains(stateMachineArn)) {
                throw new AwsError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + stateMachineArn
                        + "'", 400);
            }
            String executionName = name == null ? UUID.randomUUID().toString() : name;
            if (executionName.isEmpty() || executionName.length() > 80 || BAD_NAME.matcher(executionName).find()) {
                throw new AwsError("InvalidName", "Invalid Name: '" + executionName + "'", 400);
            }
            String given = input == null ? "{}" : input;
            try {
                JSON.readTree(given);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AwsError("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
                        + e.getOriginalMessage() + "'", 400);
            }
            String arn = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + executionName;
            Execution existing = executions.get(arn);
            if (existing != null) {
                if (existing.status() == Status.RUNNING && existing.input().equals(given)) { // open, same input
                    return existing;
                }
                throw new AwsError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'", 400);
            }
            started = new Execution(arn, stateMachineArn, executionName, given, clock.now(), Status.RUNNING,
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
            executions.put(arn, started);
        }
        Executor executor = executors.get(stateMachineArn);
        if (executor != null) {
            executor.start(started.name(), started.input(), completion(started.executionArn()));
        }
        return started;
    }

    public synchronized Execution describeExecution(String executionArn) {
        Execution e = executionArn == null ? null : executions.get(executionArn);
        if (e == null) {
            throw new AwsError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'", 400);
        }
        return e;
    }

    /** Every execution started so far, in order. */
    public synchronized List<Execution> executions() {
        return List.copyOf(executions.values());
    }

    private Completion completion(String executionArn) {
        return new Completion() {
            @Override
            public void succeeded(String output) {
                end(executionArn, Status.SUCCEEDED, Optional.ofNullable(output), Optional.empty(), Optional.empty());
            }

            @Override
            public void failed(String error, String cause) {
                end(executionArn, Status.FAILED, Optional.empty(), Optional.ofNullable(error), Optional.ofNullable(cause));
            }
        };
    }

    private synchronized void end(String executionArn, Status status, Optional<String> output, Optional<String> error,
                                  Optional<String> cause) {
        Execution e = executions.get(executionArn);
        if (e.status() != Status.RUNNING) {
            return; // only the first report counts
        }
        executions.put(executionArn, new Execution(e.executionArn(), e.stateMachineArn(), e.name(), e.input(),
                e.startDate(), status, Optional.of(clock.now()), output, error, cause));
    }
}
