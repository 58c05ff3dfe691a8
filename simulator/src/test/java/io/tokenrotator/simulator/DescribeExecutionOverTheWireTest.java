package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tokenrotator.simulator.SignedClients.refused;
import static org.assertj.core.api.Assertions.assertThat;

/** Step Functions DescribeExecution and the executor hook, as the SDK's Step Functions client sees them. */
class DescribeExecutionOverTheWireTest {
    private static final String ACCOUNT = "123456789012";
    private static final String MACHINE = "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:rotation";
    private static final String EXECUTIONS = "arn:aws:states:us-east-1:" + ACCOUNT + ":execution:rotation:*";

    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", ACCOUNT);
    private final CloudFormationModel model = new CloudFormationModel(clock, secrets, "us-east-1", ACCOUNT);
    private final IamModel iam = new IamModel();
    private final SimulatorServer server;
    private final SignedClients clients;
    private final SfnClient sfn;
    /** What the hook was told: each started execution's name, input and completion. */
    private final List<Object[]> started = new ArrayList<>();

    DescribeExecutionOverTheWireTest() throws IOException {
        iam.add(new IamModel.Principal("ASIASTARTER", "arn:aws:sts::" + ACCOUNT + ":assumed-role/starter/s", List.of(
                new IamModel.Statement(List.of("states:StartExecution"), List.of(MACHINE)),
                new IamModel.Statement(List.of("states:DescribeExecution"), List.of(EXECUTIONS)))));
        iam.add(new IamModel.Principal("ASIASTARTONLY", "arn:aws:sts::" + ACCOUNT + ":assumed-role/only/s", List.of(
                new IamModel.Statement(List.of("states:StartExecution", "states:DescribeExecution"), List.of(MACHINE)))));
        server = new SimulatorServer(model, secrets, iam, clock);
        server.stepFunctions().createStateMachine(MACHINE);
        clients = new SignedClients(server.endpoint());
        sfn = clients.stepFunctions("ASIASTARTER");
    }

    @AfterEach
    void close() {
        server.close();
        clients.close();
    }

    private String start(String name, String input) {
        return sfn.startExecution(b -> b.stateMachineArn(MACHINE).name(name).input(input)).executionArn();
    }

    private DescribeExecutionResponse describe(String arn) {
        return sfn.describeExecution(b -> b.executionArn(arn));
    }

    private StepFunctionsModel.Completion completion(int i) {
        return (StepFunctionsModel.Completion) started.get(i)[2];
    }

    @Test
    void withoutAnExecutorAnExecutionStaysRunning() {
        String arn = start("run-1", "{\"a\":1}");
        clock.advance(Duration.ofHours(1));

        DescribeExecutionResponse d = describe(arn);

        assertThat(d.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(d.executionArn()).isEqualTo(arn).endsWith(":execution:rotation:run-1");
        assertThat(d.stateMachineArn()).isEqualTo(MACHINE);
        assertThat(d.name()).isEqualTo("run-1");
        assertThat(d.input()).isEqualTo("{\"a\":1}");
        assertThat(d.startDate()).isEqualTo(SimClock.manual().now());
        assertThat(d.stopDate()).isNull();
        assertThat(d.output()).isNull();
        assertThat(d.error()).isNull();
    }

    @Test
    void theExecutorIsToldEachStartAndItsSuccessEndsTheExecution() {
        server.stepFunctions().onStart(MACHINE, (name, input, completion) -> started.add(new Object[] {name, input, completion}));
        String arn = start("run-1", "{\"a\":1}");
        assertThat(started).hasSize(1);
        assertThat(started.get(0)[0]).isEqualTo("run-1");
        assertThat(started.get(0)[1]).isEqualTo("{\"a\":1}");
        assertThat(describe(arn).status()).isEqualTo(ExecutionStatus.RUNNING);

        clock.advance(Duration.ofMinutes(5));
        completion(0).succeeded("{\"rotated\":3}");
        completion(0).failed("Late", "a second report does not count");

        DescribeExecutionResponse d = describe(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(d.output()).isEqualTo("{\"rotated\":3}");
        assertThat(d.stopDate()).isEqualTo(SimClock.manual().now().plus(Duration.ofMinutes(5)));
        assertThat(d.error()).isNull();
    }

    @Test
    void aFailureShowsItsErrorAndCauseAndNoOutput() {
        server.stepFunctions().onStart(MACHINE, (name, input, completion) -> completion.failed("States.TaskFailed",
                "Retirement Blocked: app-0001"));
        String arn = start("run-1", "{}");

        DescribeExecutionResponse d = describe(arn);

        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("States.TaskFailed");
        assertThat(d.cause()).isEqualTo("Retirement Blocked: app-0001");
        assertThat(d.output()).isNull();
        assertThat(d.stopDate()).isNotNull();
    }

    @Test
    void aRepeatedStartOfARunningExecutionIsIdempotentButAClosedOneAlreadyExists() {
        server.stepFunctions().onStart(MACHINE, (name, input, completion) -> started.add(new Object[] {name, input, completion}));
        String arn = start("run-1", "{}");
        assertThat(start("run-1", "{}")).isEqualTo(arn);
        assertThat(started).as("the repeat starts nothing").hasSize(1);

        completion(0).succeeded("{}");

        AwsServiceException e = refused(() -> start("run-1", "{}"));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExecutionAlreadyExists");
    }

    @Test
    void anUnknownExecutionDoesNotExist() {
        AwsServiceException e = refused(() -> describe("arn:aws:states:us-east-1:" + ACCOUNT + ":execution:rotation:none"));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExecutionDoesNotExist");
        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void describingNeedsThePermissionOnTheExecutionArn() {
        String arn = clients.stepFunctions("ASIASTARTONLY").startExecution(b -> b.stateMachineArn(MACHINE).name("run-2"))
                .executionArn();

        AwsServiceException e = refused(() -> clients.stepFunctions("ASIASTARTONLY").describeExecution(b -> b.executionArn(arn)));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(e.awsErrorDetails().errorMessage()).contains("states:DescribeExecution").contains(arn);
    }
}
