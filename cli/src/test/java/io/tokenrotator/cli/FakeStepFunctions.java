package io.tokenrotator.cli;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
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

/** Step Functions behind the SDK's own SfnClient interface: records requests, one execution per name. */
final class FakeStepFunctions implements SfnClient {
    final List<StartExecutionRequest> starts = new ArrayList<>();
    final Map<String, String> executions = new LinkedHashMap<>();
    final List<HistoryEvent> history = new ArrayList<>();
    final List<String> statuses = new ArrayList<>(List.of("SUCCEEDED"));
    String error;
    String cause;
    boolean denyStart;
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
        if (executions.putIfAbsent(request.name(), request.input()) != null) {
            throw ExecutionAlreadyExistsException.builder().message("Execution Already Exists").build();
        }
        return StartExecutionResponse.builder().executionArn(request.stateMachineArn()
                .replace(":stateMachine:", ":execution:") + ":" + request.name()).startDate(Instant.EPOCH).build();
    }

    @Override
    public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
        String status = statuses.get(Math.min(describeCalls++, statuses.size() - 1));
        String name = request.executionArn().substring(request.executionArn().lastIndexOf(':') + 1);
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
