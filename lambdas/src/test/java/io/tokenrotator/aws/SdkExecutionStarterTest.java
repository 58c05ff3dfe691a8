package io.tokenrotator.aws;

import io.tokenrotator.errors.AccessDeniedException;
import io.tokenrotator.errors.AwsRequestRejectedException;
import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.simulator.StepFunctionsModel;
import io.tokenrotator.testing.SimulatedAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Step Functions adapter against the simulator's StartExecution, over the JSON 1.0 wire protocol. */
class SdkExecutionStarterTest {
    private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:TokenRotator-rotation";
    private final SimulatedAws aws = new SimulatedAws();
    private final SfnClient client = aws.clients.stepFunctions();
    private final SdkExecutionStarter starter = new SdkExecutionStarter(client, MACHINE);

    @AfterEach
    void close() {
        client.close();
        aws.close();
    }

    @Test
    void startsAnExecutionNamedAsAskedWithItsInput() {
        aws.server.stepFunctions().createStateMachine(MACHINE);

        assertThat(starter.start("prod-api-token-1", "{\"secretId\":\"s\"}")).isEqualTo(ExecutionStarter.Started.STARTED);

        assertThat(aws.server.stepFunctions().executions()).extracting(StepFunctionsModel.Execution::executionArn,
                        StepFunctionsModel.Execution::input)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "arn:aws:states:us-east-1:123456789012:execution:TokenRotator-rotation:prod-api-token-1",
                        "{\"secretId\":\"s\"}"));
    }

    @Test
    void theSameNameWithTheSameInputIsIdempotentAndWithAnotherInputAlreadyExists() {
        aws.server.stepFunctions().createStateMachine(MACHINE);
        starter.start("run-1", "{\"a\":1}");

        assertThat(starter.start("run-1", "{\"a\":1}")).isEqualTo(ExecutionStarter.Started.STARTED);
        assertThat(starter.start("run-1", "{\"a\":2}")).isEqualTo(ExecutionStarter.Started.ALREADY_EXISTS);
        assertThat(aws.server.stepFunctions().executions()).hasSize(1);
    }

    @Test
    void anUnknownStateMachineIsRejectedWithItsCode() {
        assertThatThrownBy(() -> starter.start("run-1", "{}")).isExactlyInstanceOf(AwsRequestRejectedException.class)
                .hasMessageContaining("StateMachineDoesNotExist");
    }

    @Test
    void aCallerWithoutStatesStartExecutionIsDeniedNamingTheAction() {
        aws.server.stepFunctions().createStateMachine(MACHINE);
        aws.iam.add(new IamModel.Principal("ASIASTART", "arn:aws:sts::123456789012:assumed-role/R/StartRotation",
                List.of(new IamModel.Statement(List.of("states:DescribeExecution"), List.of("*")))));
        SfnClient denied = aws.clients.as("ASIASTART").stepFunctions();

        assertThatThrownBy(() -> new SdkExecutionStarter(denied, MACHINE).start("run-1", "{}"))
                .isExactlyInstanceOf(AccessDeniedException.class).hasMessageContaining("states:StartExecution");
        assertThat(aws.server.stepFunctions().executions()).isEmpty();
    }
}
