package io.tokenrotator.cli;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateExitedEventDetails;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step Functions behind the SDK's own SfnClient interface: records requests, one execution per name
 * (ExecutionAlreadyExists for a second start of a closed one, or of an open one with another input), and
 * ExecutionDoesNotExist when describing a name nobody started or registered (API_StartExecution,
 * API_DescribeExecution).
 */
final class FakeStepFunctions implements SfnClient {
    final List<StartExecutionRequest> starts = new ArrayList<>();
    final Map<String, String> executions = new LinkedHashMap<>();
    /** A status for one execution by name; executions without one follow {@link #statuses}. */
    final Map<String, String> statusOf = new LinkedHashMap<>();
    final List<HistoryEvent> history = new ArrayList<>();
    final List<String> statuses = new ArrayList<>(List.of("SUCCEEDED"));
    String error;
    String cause;
    boolean denyStart;
    /** DescribeExecution calls that found their execution. */
    int describeCalls;

    void stateExited(String state, String outputJson) {
        history.add(HistoryEvent.builder().id((long) history.size() + 1).timestamp(Instant.EPOCH)
                .type(HistoryEventType.TASK_STATE_EXITED)
                .stateExitedEventDetails(StateExitedEventDetails.builder().name(state).output(outputJson).build())
                .build());
    }

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest request) {
        starts.add(request);
        if (denyStart) {
            throw SfnException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("AccessDeniedException").serviceName("SFN")
                    .errorMessage("User is not authorized to perform: states:StartExecution").build()).build();
        }
        String existing = executions.putIfAbsent(request.name(), request.input());
        boolean open = existing != null && "RUNNING".equals(statusOf.getOrDefault(request.name(), statuses.get(0)));
        if (existing != null && !(open && existing.equals(request.input()))) {
            throw ExecutionAlreadyExistsException.builder().message("Execution Already Exists").build();
        }
        return StartExecutionResponse.builder().executionArn(request.stateMachineArn()
                .replace(":stateMachine:", ":execution:") + ":" + request.name()).startDate(Instant.EPOCH).build();
    }

    @Override
    public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
        String name = request.executionArn().substring(request.executionArn().lastIndexOf(':') + 1);
        if (!executions.containsKey(name)) {
            throw ExecutionDoesNotExistException.builder().message("Execution Does Not Exist: '"
                    + request.executionArn() + "'").build();
        }
        String status = statusOf.containsKey(name) ? statusOf.get(name)
                : statuses.get(Math.min(describeCalls, statuses.size() - 1));
        describeCalls++;
        return DescribeExecutionResponse.builder().executionArn(request.executionArn()).name(name)
                .status(ExecutionStatus.fromValue(status)).error(error).cause(cause).build();
    }

    @Override
    public GetExecutionHistoryResponse getExecutionHistory(GetExecutionHistoryRequest request) {
        return GetExecutionHistoryResponse.builder().events(history).build();
    }

    @Override
    public String serviceName() {
        return "states";
    }

    @Override
    public void close() {
    }
}
