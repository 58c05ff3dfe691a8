package io.tokenrotator.cli;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.cli.ops.RotationExecutions;
import io.tokenrotator.contract.Ending;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RecordResultInput;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.StackRef;
import io.tokenrotator.contract.SummarizeInput;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.service.ExecutionNames;
import io.tokenrotator.service.RunResultsService;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.ConsumerTemplates;
import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.simulator.SimClock;
import io.tokenrotator.simulator.SimulatorServer;
import io.tokenrotator.store.InMemoryRunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorCommandsTest {
    private static final String MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:TokenRotator-rotation";
    private static final String VERSION_NAME = ExecutionNames.forSecretVersion("prod/api-token",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-AbCdEf", "v-new");
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final FakeStepFunctions sfn = new FakeStepFunctions();
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final RotationExecutions executions = new RotationExecutions(sfn, deployedStack(), bucket -> store);
    private final SecretsPort secrets = id -> id.equals("prod/api-token") || id.endsWith("AbCdEf")
            ? Optional.of(new SecretsPort.SecretDescription(
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-AbCdEf", "prod/api-token",
                    Map.of("v-old", List.of("AWSPREVIOUS"), "v-new", List.of("AWSCURRENT"))))
            : Optional.empty();

    @BeforeEach
    void captureStdout() {
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(originalOut);
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private static CloudFormationClient deployedStack() {
        return new CloudFormationClient() {
            @Override
            public DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
                assertThat(request.stackName()).isEqualTo("TokenRotator");
                return DescribeStacksResponse.builder().stacks(Stack.builder().stackName("TokenRotator")
                        .outputs(Output.builder().outputKey("StateMachineArn").outputValue(MACHINE).build()).build()).build();
            }

            @Override
            public String serviceName() {
                return "cloudformation";
            }

            @Override
            public void close() {
            }
        };
    }

    private StartCommand start(String... args) {
        StartCommand command = new StartCommand(Clock.fixed(Instant.parse("2026-11-22T10:15:00Z"), ZoneOffset.UTC),
                millis -> { });
        new CommandLine(command).parseArgs(args);
        return command;
    }

    /** A finished run in the store and in the history, as the deployed workflow leaves it. */
    private void finishedRun(String executionName, Ending... endings) {
        List<PlannedStack> planned = new java.util.ArrayList<>();
        for (int i = 0; i < endings.length; i++) {
            planned.add(new PlannedStack(i, "app-" + i, "arn:aws:cloudformation:eu-west-1:123456789012:stack/app-" + i + "/x",
                    "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN, "RotateToken", "true"));
        }
        store.savePlan(new Plan(executionName, "RotateToken", "TokenVersion", null, null, planned, List.of()));
        RunResultsService results = new RunResultsService(store,
                new io.tokenrotator.store.InMemoryStackLeases(java.time.Clock.systemUTC()),
                new JsonLog(new PrintStream(OutputStream.nullOutputStream())));
        for (int i = 0; i < endings.length; i++) {
            results.record(new RecordResultInput(executionName, i, endings[i], new StackRef("app-" + i,
                    planned.get(i).stackId()), null, null, null, null, null, null, null, null, null));
        }
        sfn.stateExited("Find Stacks", "{\"runId\": \"" + executionName + "\", \"toRotateCount\": " + endings.length
                + ", \"planLocation\": \"s3://run-bucket/runs/" + executionName + "/plan.json\", \"dryRun\": false}");
        RunReport report = results.summarize(new SummarizeInput(executionName));
        sfn.stateExited("Summarize Run", Json.write(report));
    }

    @Test
    void startNamesTheExecutionAsTheTriggerDoesAndSendsTheResolvedSecret() throws Exception {
        int exit = start("--secret", "prod/api-token").run(executions, secrets);

        assertThat(exit).isZero();
        assertThat(sfn.starts).hasSize(1);
        var request = sfn.starts.get(0);
        assertThat(request.stateMachineArn()).isEqualTo(MACHINE);
        assertThat(request.name()).isEqualTo(ExecutionNames.forSecretVersion("prod/api-token",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-AbCdEf", "v-new"));
        assertThat(Json.MAPPER.readTree(request.input())).isEqualTo(Json.MAPPER.readTree(
                "{\"secretId\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-AbCdEf\","
                        + " \"versionId\": \"v-new\"}"));
        assertThat(out()).startsWith("Started arn:aws:states:eu-west-1:123456789012:execution:TokenRotator-rotation:prod-api-token-");
    }

    @Test
    void aSecondStartWhileTheVersionsExecutionRunsStartsNothing() throws Exception {
        start("--secret", "prod/api-token").run(executions, secrets);
        sfn.statuses.set(0, "RUNNING");
        int exit = start("--secret", "prod/api-token").run(executions, secrets);

        assertThat(exit).isZero();
        assertThat(sfn.executions).hasSize(1);
        assertThat(out()).endsWith("Already running, not started again: " + MACHINE.replace(":stateMachine:",
                ":execution:") + ":" + VERSION_NAME + "\n");
    }

    @Test
    void aStartAfterTheVersionsExecutionClosedStartsTheNextAttempt() throws Exception {
        String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-AbCdEf";
        String executionArns = MACHINE.replace(":stateMachine:", ":execution:") + ":";
        start("--secret", "prod/api-token").run(executions, secrets);
        sfn.statusOf.put(VERSION_NAME, "FAILED");

        int exit = start("--secret", "prod/api-token").run(executions, secrets);

        assertThat(exit).isZero();
        assertThat(sfn.starts).extracting(r -> r.name()).containsExactly(VERSION_NAME, VERSION_NAME + "-r2");
        assertThat(Json.MAPPER.readTree(sfn.starts.get(1).input())).isEqualTo(Json.MAPPER.readTree(
                "{\"secretId\": \"" + arn + "\", \"versionId\": \"v-new\"}"));
        assertThat(out()).endsWith("Started attempt 2 for version v-new of prod/api-token (attempt 1 ended FAILED): "
                + executionArns + VERSION_NAME + "-r2\n");

        sfn.statusOf.put(VERSION_NAME + "-r2", "RUNNING");
        start("--secret", "prod/api-token").run(executions, secrets);
        assertThat(out()).endsWith("Already running, not started again: " + executionArns + VERSION_NAME + "-r2\n");
        assertThat(sfn.executions).hasSize(2);

        sfn.statusOf.put(VERSION_NAME + "-r2", "SUCCEEDED");
        start("--secret", "prod/api-token").run(executions, secrets);
        assertThat(sfn.starts).last().extracting(r -> r.name()).isEqualTo(VERSION_NAME + "-r3");
        assertThat(sfn.starts.get(sfn.starts.size() - 1).name()).hasSizeLessThanOrEqualTo(80);
        assertThat(out()).endsWith("(attempt 2 ended SUCCEEDED): " + executionArns + VERSION_NAME + "-r3\n");
    }

    @Test
    void aFailedStackIsRotatedAgainAloneWithPrefixAsItsActionSays() throws Exception {
        start("--secret", "prod/api-token").run(executions, secrets);
        sfn.statusOf.put(VERSION_NAME, "FAILED");

        start("--secret", "prod/api-token", "--prefix", "app-7").run(executions, secrets);

        assertThat(sfn.starts).last().extracting(r -> r.name()).isEqualTo(VERSION_NAME + "-r2");
        assertThat(Json.MAPPER.readTree(sfn.starts.get(sfn.starts.size() - 1).input()).path("stackNamePrefix").asText())
                .isEqualTo("app-7");
        int before = sfn.starts.size();
        assertThatThrownBy(() -> start("--secret", "prod/api-token", "--prefix", "7-app").run(executions, secrets))
                .isInstanceOf(io.tokenrotator.errors.InvalidInputException.class).hasMessageContaining("--prefix");
        assertThat(sfn.starts).as("nothing started for a bad prefix").hasSize(before);
    }

    @Test
    void aDryRunAndAManualStartWithoutSecretGetTheirOwnNames() throws Exception {
        start("--secret", "prod/api-token", "--dry-run", "--state-machine-arn", MACHINE).run(executions, secrets);
        start().run(executions, secrets);

        assertThat(sfn.starts.get(0).name()).endsWith("-dry-run");
        assertThat(Json.MAPPER.readTree(sfn.starts.get(0).input()).path("dryRun").asBoolean()).isTrue();
        assertThat(sfn.starts.get(1).name()).matches("manual-20261122-1015-[0-9a-f]{12}");
        assertThat(sfn.starts.get(1).input()).isEqualTo("{}");
    }

    @Test
    void waitFollowsTheRunToItsReportAndFailsWhenAStackNeedsAttention() throws Exception {
        StartCommand command = start("--secret", "prod/api-token", "--wait");
        String name = ExecutionNames.forSecretVersion("prod/api-token",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-AbCdEf", "v-new");
        finishedRun(name, Ending.ROTATED, Ending.RESTORE_EXHAUSTED);
        sfn.statuses.clear();
        sfn.statuses.addAll(List.of("RUNNING", "FAILED"));
        sfn.error = "TokenRotator.StacksNeedAttention";

        int exit = command.run(executions, secrets);

        assertThat(exit).isEqualTo(1);
        assertThat(out()).contains("Execution " + name + ": FAILED (2/2 stacks done)")
                .contains("Error: TokenRotator.StacksNeedAttention")
                .contains("app-1").contains("NEEDS_ATTENTION").contains("did not succeed")
                .contains("Summary: ROTATED 1  UNCHANGED 0  SKIPPED 0  FAILED 0  NEEDS_ATTENTION 1");
        assertThat(sfn.describeCalls).isEqualTo(2);
    }

    @Test
    void waitExitsZeroWhenEveryStackRotatedOrWasUnchanged() throws Exception {
        StartCommand command = start("--secret", "prod/api-token", "--wait");
        finishedRun(ExecutionNames.forSecretVersion("prod/api-token",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-AbCdEf", "v-new"),
                Ending.ROTATED, Ending.NO_RESOURCE_CHANGE);

        assertThat(command.run(executions, secrets)).isZero();
        assertThat(out()).contains("ROTATED 1  UNCHANGED 1");
    }

    @Test
    void reportShowsADryRunsPlan() {
        sfn.executions.put("dry", "{\"dryRun\": true}");
        sfn.stateExited("Find Stacks", "{\"runId\": \"dry\", \"toRotateCount\": 2, \"skippedCount\": 1,"
                + " \"toRotatePreview\": [\"app-a\", \"app-b\"], \"planLocation\": \"s3://run-bucket/runs/dry/plan.json\","
                + " \"dryRun\": true}");

        ReportCommand.print(executions.overview(MACHINE.replace(":stateMachine:", ":execution:") + ":dry"), System.out);

        assertThat(out()).contains("Execution dry: SUCCEEDED\n").contains("Dry run: 2 stack(s) would rotate, 1 would be"
                + " skipped. First: app-a, app-b. Full plan: s3://run-bucket/runs/dry/plan.json");
    }

    @Test
    void reportShowsARunningExecutionFromTheRunBucket() {
        store.savePlan(new Plan("exec-9", "RotateToken", "TokenVersion", null, null, List.of(
                new PlannedStack(0, "app-0", "arn:aws:cloudformation:eu-west-1:123456789012:stack/app-0/x", "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN, "RotateToken", "true"),
                new PlannedStack(1, "app-1", "arn:aws:cloudformation:eu-west-1:123456789012:stack/app-1/x", "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN, "RotateToken", "true")),
                List.of()));
        new RunResultsService(store, new io.tokenrotator.store.InMemoryStackLeases(java.time.Clock.systemUTC()),
                new JsonLog(new PrintStream(OutputStream.nullOutputStream()))).record(
                new RecordResultInput("exec-9", 1, Ending.PHASE1_ROLLED_BACK, new StackRef("app-1",
                        "arn:aws:cloudformation:eu-west-1:123456789012:stack/app-1/x"), null, null, null, null, null, null, null, null, null));
        sfn.executions.put("exec-9", "{}");
        sfn.stateExited("Find Stacks", "{\"runId\": \"exec-9\", \"toRotateCount\": 2,"
                + " \"planLocation\": \"s3://run-bucket/runs/exec-9/plan.json\", \"dryRun\": false}");
        sfn.statuses.set(0, "RUNNING");

        var overview = executions.overview(MACHINE.replace(":stateMachine:", ":execution:") + ":exec-9");
        ReportCommand.print(overview, System.out);

        assertThat(overview.stacksDone()).isEqualTo(1);
        assertThat(overview.finalReport()).isFalse();
        assertThat(out()).contains("exec-9: RUNNING (1/2 stacks done)").contains("Still running")
                .contains("app-1").contains("FAILED").doesNotContain("app-0 ");
    }

    @Test
    void unknownStateMachineAccessDeniedAndMissingCredentialsAreOneLineWithTheFix() {
        assertThatThrownBy(() -> start("--stack-name", "Nope").run(new RotationExecutions(sfn, new CloudFormationClient() {
            @Override
            public DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
                return DescribeStacksResponse.builder().stacks(Stack.builder().stackName("Nope").build()).build();
            }

            @Override
            public String serviceName() {
                return "cloudformation";
            }

            @Override
            public void close() {
            }
        }, b -> store), secrets)).satisfies(e -> assertThat(OperatorErrors.describe((Exception) e))
                .contains("no StateMachineArn output").contains("cdk deploy"));

        sfn.denyStart = true;
        assertThatThrownBy(() -> start().run(executions, secrets)).satisfies(e -> assertThat(
                OperatorErrors.describe((Exception) e)).startsWith("access denied").contains("states:StartExecution"));

        assertThat(OperatorErrors.describe(SdkClientException.create("Unable to load credentials from any of the"
                + " providers in the chain"))).contains("no AWS credentials").contains("aws configure");
        assertThatThrownBy(() -> start("--secret", "prod/missing").run(executions, secrets))
                .satisfies(e -> assertThat(OperatorErrors.describe((Exception) e)).contains("--secret")
                        .contains("prod/missing"));
    }

    @Test
    void planRunsTheFindStacksDiscoveryAgainstTheSimulatorOverHttp() throws IOException {
        SimClock.Manual clock = SimClock.manual();
        SecretsManagerModel sm = new SecretsManagerModel("us-east-1", "123456789012");
        CloudFormationModel cfn = new CloudFormationModel(clock, sm, "us-east-1", "123456789012");
        sm.createSecret("prod/api-token", "s3cr3t-one");
        cfn.createStack(new CloudFormationModel.StackSpec("app-a", ConsumerTemplates.rotating("prod/api-token"), Map.of()));
        cfn.createStack(new CloudFormationModel.StackSpec("app-b", ConsumerTemplates.rotating("prod/api-token"),
                Map.of("RotateToken", "false")));
        cfn.createStack(new CloudFormationModel.StackSpec("other", ConsumerTemplates.rotating("prod/api-token"), Map.of()));
        Map<String, String> credentials = Map.of("aws.accessKeyId", "local", "aws.secretAccessKey", "local");
        credentials.forEach(System::setProperty);
        IamModel iam = new IamModel();
        iam.addAdministrator("local", "arn:aws:iam::123456789012:user/operator");
        try (SimulatorServer server = new SimulatorServer(cfn, sm, iam, clock)) {
            StringWriter err = new StringWriter();
            CommandLine cli = TokenRotatorCli.commandLine().setErr(new PrintWriter(err));
            String[] common = {"--endpoint-url", server.endpoint().toString(), "--region", "us-east-1"};

            int exit = cli.execute(concat(new String[] {"plan", "--secret", "prod/api-token", "--prefix", "app-"}, common));

            assertThat(exit).isZero();
            assertThat(out()).contains("Secret prod/api-token").contains("2 stack(s) would rotate, 1 would be skipped")
                    .contains("app-a").contains("app-b").contains("(left at false: will be restored)")
                    .contains("other").contains("PREFIX_MISMATCH");
            assertThat(server.callCounts()).containsKeys("DescribeStacks", "DescribeSecret").doesNotContainKey("UpdateStack");

            stdout.reset();
            assertThat(cli.execute(concat(new String[] {"plan", "--json"}, common))).isZero();
            assertThat(Json.MAPPER.readTree(out()).path("toRotate")).hasSize(3);

            int bad = cli.execute(concat(new String[] {"plan", "--secret", "prod/missing"}, common));
            assertThat(bad).isEqualTo(1);
            assertThat(err.toString()).startsWith("token-rotator: invalid input: secretId").contains("prod/missing")
                    .doesNotContain("\tat ");
        } finally {
            credentials.keySet().forEach(System::clearProperty);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
