package io.tokenrotator.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Step Functions as far as Token Rotator's trigger reaches it: StartExecution on STANDARD state machines. The
 * simulator runs no workflow, so every execution stays RUNNING. Rules from the StartExecution API reference:
 * <ul>
 *   <li>a name is unique per state machine; a second start with the same name and the same input while the first
 *       is open succeeds and answers the first's ARN and start date (idempotent); a different input, or a closed
 *       execution, is 400 {@code ExecutionAlreadyExists};</li>
 *   <li>a name has 1-80 characters, without whitespace, brackets {@code < > { } [ ]}, wildcards {@code ? *}, the
 *       characters {@code " # % \ ^ | ~ ` $ & , ; : /} or control characters, else 400 {@code InvalidName}; without a
 *       name Step Functions generates a UUID;</li>
 *   <li>an unknown state machine is 400 {@code StateMachineDoesNotExist}; an input that is not JSON is 400
 *       {@code InvalidExecutionInput}.</li>
 * </ul>
 */
public final class StepFunctionsModel {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BAD_NAME = Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1f\\x7f-\\x9f]");

    /** One execution: its ARN, name, input and start date. */
    public record Execution(String executionArn, String name, String input, Instant startDate) {}

    private final SimClock clock;
    private final Set<String> stateMachines = ConcurrentHashMap.newKeySet();
    private final Map<String, Execution> executions = new LinkedHashMap<>();

    public StepFunctionsModel(SimClock clock) {
        this.clock = clock;
    }

    /** CreateStateMachine, as far as StartExecution needs it: the ARN exists. */
    public void createStateMachine(String stateMachineArn) {
        stateMachines.add(stateMachineArn);
    }

    public synchronized Execution startExecution(String stateMachineArn, String name, String input) {
        if (!stateMachines.contains(stateMachineArn)) {
            throw new AwsError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + stateMachineArn + "'",
                    400);
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
            if (existing.input().equals(given)) { // open (nothing closes here) and the same input: idempotent
                return existing;
            }
            throw new AwsError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'", 400);
        }
        Execution started = new Execution(arn, executionName, given, clock.now());
        executions.put(arn, started);
        return started;
    }

    /** Every execution started so far, in order. */
    public synchronized List<Execution> executions() {
        return List.copyOf(executions.values());
    }
}
