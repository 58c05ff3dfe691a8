package io.tokenrotator.cli;

import io.tokenrotator.cli.ops.CredentialCycles;
import io.tokenrotator.contract.CredentialRecord;
import io.tokenrotator.contract.Cycle;
import io.tokenrotator.contract.CycleStage;
import io.tokenrotator.contract.CycleStep;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;
import io.tokenrotator.port.AccessKeysPort;
import io.tokenrotator.port.CredentialRecords;
import io.tokenrotator.port.SecretsPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code start --credential} and {@code report} of a credential cycle, against fakes of each AWS call they make. */
class LifecycleCommandsTest {
    private static final String LIFECYCLE =
            "arn:aws:states:eu-west-1:123456789012:stateMachine:TokenRotator-credential-lifecycle";
    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/deploy-bot-key-AbCdEf";
    private static final String NAME = "cycle-prod-deploy-bot-key-20261122-1015";
    private static final String EXECUTION = LIFECYCLE.replace(":stateMachine:", ":execution:") + ":" + NAME;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final Sfn sfn = new Sfn();
    private final Map<String, String> outputs = new LinkedHashMap<>(Map.of(
            "StateMachineArn", "arn:aws:states:eu-west-1:123456789012:stateMachine:TokenRotator-rotation",
            "RunBucketName", "run-bucket", CredentialCycles.LIFECYCLE_OUTPUT, LIFECYCLE));
    private final Map<String, CredentialRecord> records = new HashMap<>();
    private final List<AccessKeysPort.AccessKey> keys = new ArrayList<>();
    private final SecretsPort secrets = id -> id.equals("prod/deploy-bot-key") || id.equals(SECRET_ARN)
            ? Optional.of(new SecretsPort.SecretDescription(SECRET_ARN, "prod/deploy-bot-key",
                    Map.of("v2", List.of("AWSCURRENT"))))
            : Optional.empty();
    private final CredentialCycles cycles = new CredentialCycles(sfn, stack(), secrets, bucket -> {
        assertThat(bucket).isEqualTo("run-bucket");
        return new CredentialRecords() {
            @Override
            public Optional<CredentialRecord> load(String secretName) {
                return Optional.ofNullable(records.get(secretName));
            }

            @Override
            public void save(CredentialRecord record) {
                throw new AssertionError("the operator commands never write a record");
            }
        };
    }, new Keys());

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

    private StartCommand start(String... args) {
        StartCommand command = new StartCommand(Clock.fixed(Instant.parse("2026-11-22T10:15:00Z"), ZoneOffset.UTC),
                millis -> { });
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private ReportCommand report(String... args) {
        ReportCommand command = new ReportCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private static Cycle cycle(CycleStage stage, String message, List<String> blocking) {
        return new Cycle("cycle-7", EXECUTION, SECRET_ARN, "prod/deploy-bot-key", "IAM_ACCESS_KEY", "deploy-bot", false,
                stage, CycleStep.DONE, "AKIAOLD0000000000001", null, "AKIANEW0000000000002", "v2",
                "prod-deploy-bot-key-0123456789abcdef0123", "2026-11-22T10:15:03Z", "2026-11-22T10:31:00Z",
                stage == CycleStage.DEACTIVATED ? "2026-11-23T10:31:05Z" : null, null, 0, blocking, message, List.of());
    }

    private void recordOf(Cycle cycle, CredentialRecord.Event... events) {
        List<CredentialRecord.Event> history = new ArrayList<>(List.of(
                new CredentialRecord.Event("2026-08-24T10:15:00Z", "cycle-6", CycleStage.RETIRED, "an earlier cycle")));
        history.addAll(List.of(events));
        records.put("prod/deploy-bot-key", new CredentialRecord(SECRET_ARN, "prod/deploy-bot-key", "deploy-bot",
                Map.of("v2", "AKIANEW0000000000002"), cycle, history));
    }

    @Test
    void startCredentialStartsTheLifecycleWithTheSecretAndDryRun() throws Exception {
        assertThat(start("--credential", "prod/deploy-bot-key").runCycle(cycles)).isZero();
        assertThat(start("--credential", SECRET_ARN, "--dry-run").runCycle(cycles)).isZero();

        assertThat(sfn.starts).extracting(StartExecutionRequest::stateMachineArn).containsOnly(LIFECYCLE);
        assertThat(sfn.starts.get(0).name()).isEqualTo(NAME);
        assertThat(Json.MAPPER.readTree(sfn.starts.get(0).input())).isEqualTo(Json.MAPPER.readTree(
                "{\"secretId\": \"prod/deploy-bot-key\", \"dryRun\": false}"));
        assertThat(sfn.starts.get(1).name()).isEqualTo(NAME + "-dry-run").hasSizeLessThanOrEqualTo(80);
        assertThat(Json.MAPPER.readTree(sfn.starts.get(1).input())).isEqualTo(Json.MAPPER.readTree(
                "{\"secretId\": \"" + SECRET_ARN + "\", \"dryRun\": true}"));
        assertThat(out()).startsWith("Started " + EXECUTION + "\n");
        assertThat(StartCommand.cycleName("a".repeat(200), java.time.LocalDateTime.of(2026, 1, 2, 3, 4), true))
                .hasSizeLessThanOrEqualTo(80).matches("cycle-a{48}-20260102-0304-dry-run");
    }

    @Test
    void noLifecycleDeployedAnUnknownSecretOrARotationOptionIsOneClearLineAndStartsNothing() {
        outputs.remove(CredentialCycles.LIFECYCLE_OUTPUT);
        assertThatThrownBy(() -> start("--credential", "prod/deploy-bot-key").runCycle(cycles))
                .satisfies(e -> assertThat(OperatorErrors.describe((Exception) e))
                        .isEqualTo("stack TokenRotator has no LifecycleStateMachineArn output: it manages no credential."
                                + " Fix: list the credential in cdk.json's \"credentials\" and run 'cdk deploy'"
                                + " (README: Credential lifecycle), or pass --stack-name"));
        outputs.put(CredentialCycles.LIFECYCLE_OUTPUT, LIFECYCLE);
        assertThatThrownBy(() -> start("--credential", "prod/missing").runCycle(cycles))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(OperatorErrors.describe((Exception) e)).contains("--credential")
                        .contains("'prod/missing' names no secret").doesNotContain("\n"));
        assertThatThrownBy(() -> start("--credential", "prod/deploy-bot-key", "--secret", "prod/api").runCycle(cycles))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--credential")
                .hasMessageContaining("--secret");
        assertThat(sfn.starts).isEmpty();
    }

    @Test
    void waitPrintsEachStageAsTheRecordReachesItThenTheStageAndMessageItEndedWith() throws Exception {
        recordOf(cycle(CycleStage.BLOCKED, "consumer app-2 did not end on the new version", List.of("app-2: FAILED")),
                new CredentialRecord.Event("2026-11-22T10:15:03Z", "cycle-7", CycleStage.STARTED, "old key AKIAOLD0000000000001"),
                new CredentialRecord.Event("2026-11-22T10:15:09Z", "cycle-7", CycleStage.STORED, "new key AKIANEW0000000000002 in version v2"),
                new CredentialRecord.Event("2026-11-22T10:31:00Z", "cycle-7", CycleStage.BLOCKED, "app-2: FAILED"));
        sfn.statuses.addAll(List.of("RUNNING", "RUNNING", "FAILED"));
        sfn.error = "RetirementBlocked";
        sfn.cause = "Retirement blocked: app-2 did not end on the new version; the old key stays active";

        int exit = start("--credential", "prod/deploy-bot-key", "--wait").runCycle(cycles);

        assertThat(exit).isEqualTo(1);
        assertThat(out()).contains("2026-11-22T10:15:03Z      STARTED       old key AKIAOLD0000000000001\n")
                .contains("STORED").contains("Execution " + NAME + ": FAILED\n")
                .contains("Stage reached: BLOCKED\n").contains("Error: RetirementBlocked\n")
                .contains("Message: Retirement blocked: app-2 did not end on the new version; the old key stays active")
                .doesNotContain("an earlier cycle");
        assertThat(out().split("STORED", -1)).as("each stage printed once").hasSize(2);
        assertThat(sfn.describes).isEqualTo(3);
    }

    @Test
    void waitExitsZeroForACompletedCycleAndShowsADryRunsAudit() throws Exception {
        sfn.statuses.add("SUCCEEDED");
        sfn.output = "{\"stage\": \"STARTED\", \"message\": \"dry run: nothing changed\", \"audit\":"
                + " [\"would create a new access key for deploy-bot\", \"would start the rotation\"]}";

        int exit = start("--credential", "prod/deploy-bot-key", "--dry-run", "--wait").runCycle(cycles);

        assertThat(exit).isZero();
        assertThat(out()).contains("Execution " + NAME + "-dry-run: SUCCEEDED").contains("Stage reached: STARTED")
                .contains("Message: dry run: nothing changed").contains("  would create a new access key for deploy-bot\n");
    }

    @Test
    void reportShowsTheLatestCyclesStagesTheKeysStatesNowTheRotationAndWhatBlocks() {
        recordOf(cycle(CycleStage.DEACTIVATED, "old key AKIAOLD0000000000001 deactivated; deleted after the grace period",
                        List.of()),
                new CredentialRecord.Event("2026-11-22T10:15:03Z", "cycle-7", CycleStage.STARTED, "old key AKIAOLD0000000000001"),
                new CredentialRecord.Event("2026-11-22T10:31:00Z", "cycle-7", CycleStage.PROPAGATED, "every consumer on v2"),
                new CredentialRecord.Event("2026-11-23T10:31:05Z", "cycle-7", CycleStage.DEACTIVATED, "last use before the cut-over"));
        keys.add(new AccessKeysPort.AccessKey("AKIAOLD0000000000001", false, Instant.parse("2026-08-24T10:15:05Z")));
        keys.add(new AccessKeysPort.AccessKey("AKIANEW0000000000002", true, Instant.parse("2026-11-22T10:15:05Z")));

        assertThat(report("--credential", "prod/deploy-bot-key").reportCycle(cycles, System.out)).isZero();

        assertThat(out()).contains("Credential prod/deploy-bot-key (IAM user deploy-bot), secret " + SECRET_ARN)
                .contains("Cycle cycle-7: DEACTIVATED, started 2026-11-22T10:15:03Z by " + EXECUTION)
                .contains("STARTED       2026-11-22T10:15:03Z      old key AKIAOLD0000000000001")
                .contains("PROPAGATED    2026-11-22T10:31:00Z      every consumer on v2")
                .contains("DEACTIVATED   2026-11-23T10:31:05Z")
                .contains("old       AKIAOLD0000000000001    Inactive\n")
                .contains("new       AKIANEW0000000000002    Active\n")
                .contains("Rotation: prod-deploy-bot-key-0123456789abcdef0123")
                .contains("Old key deactivated: 2026-11-23T10:31:05Z")
                .doesNotContain("an earlier cycle").doesNotContain("Blocking");

        // once deleted, IAM no longer lists the old key
        stdout.reset();
        keys.remove(0);
        records.put("prod/deploy-bot-key", new CredentialRecord(SECRET_ARN, "prod/deploy-bot-key", "deploy-bot",
                Map.of(), cycle(CycleStage.BLOCKED, "blocked", List.of("app-2: FAILED (phase 1 rolled back)")), List.of()));
        report("--credential", "prod/deploy-bot-key").reportCycle(cycles, System.out);
        assertThat(out()).contains("old       AKIAOLD0000000000001    deleted\n")
                .contains("Blocking stacks (the old key stays active until they are on the new version):\n"
                        + "  app-2: FAILED (phase 1 rolled back)\n");
    }

    @Test
    void reportOfALifecycleExecutionFindsItsCredentialFromTheInput() {
        sfn.inputs.put(NAME, "{\"secretId\": \"prod/deploy-bot-key\", \"dryRun\": false}");
        sfn.statuses.add("FAILED");
        sfn.error = "OldKeyStillInUse";
        sfn.cause = "old key AKIAOLD0000000000001 used after the cut-over by s3 in eu-west-1";
        recordOf(cycle(CycleStage.IN_USE, sfn.cause, List.of()));

        assertThat(CredentialCycles.isLifecycleExecution(EXECUTION)).isTrue();
        assertThat(CredentialCycles.isLifecycleExecution(outputs.get("StateMachineArn")
                .replace(":stateMachine:", ":execution:") + ":x")).isFalse();
        report(EXECUTION).reportCycle(cycles, System.out);

        assertThat(out()).startsWith("Execution " + NAME + ": FAILED\nStage reached: IN_USE\n")
                .contains("Error: OldKeyStillInUse").contains("used after the cut-over by s3 in eu-west-1")
                .contains("Cycle cycle-7: IN_USE");

        stdout.reset();
        records.clear();
        report("--credential", "prod/deploy-bot-key").reportCycle(cycles, System.out);
        assertThat(out()).isEqualTo("No cycle recorded for prod/deploy-bot-key"
                + " (s3://run-bucket/credentials/prod/deploy-bot-key/record.json): none has begun yet; a dry run"
                + " records nothing.\n");
    }

    private CloudFormationClient stack() {
        return new CloudFormationClient() {
            @Override
            public DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
                assertThat(request.stackName()).isEqualTo("TokenRotator");
                List<Output> out = new ArrayList<>();
                outputs.forEach((k, v) -> out.add(Output.builder().outputKey(k).outputValue(v).build()));
                return DescribeStacksResponse.builder().stacks(Stack.builder().stackName("TokenRotator").outputs(out)
                        .build()).build();
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

    /** ListAccessKeys of the managed user; any other IAM call is a test failure (the commands only read). */
    private final class Keys implements AccessKeysPort {
        @Override
        public List<AccessKey> list(String userName) {
            assertThat(userName).isEqualTo("deploy-bot");
            return List.copyOf(keys);
        }

        @Override
        public NewAccessKey create(String userName) {
            throw new AssertionError("create");
        }

        @Override
        public void setActive(String userName, String accessKeyId, boolean active) {
            throw new AssertionError("setActive");
        }

        @Override
        public void delete(String userName, String accessKeyId) {
            throw new AssertionError("delete");
        }

        @Override
        public LastUse lastUsed(String accessKeyId) {
            throw new AssertionError("lastUsed");
        }

        @Override
        public boolean works(NewAccessKey key) {
            throw new AssertionError("works");
        }
    }

    /**
     * Step Functions for the lifecycle: one execution per name (ExecutionAlreadyExists for another start of it,
     * API_StartExecution), DescribeExecution with its input and, once ended, output or error and cause
     * (API_DescribeExecution); statuses are answered in order, the last one repeated.
     */
    private static final class Sfn implements SfnClient {
        final List<StartExecutionRequest> starts = new ArrayList<>();
        final Map<String, String> inputs = new LinkedHashMap<>();
        final List<String> statuses = new ArrayList<>();
        String output;
        String error;
        String cause;
        int describes;

        @Override
        public StartExecutionResponse startExecution(StartExecutionRequest request) {
            starts.add(request);
            if (inputs.putIfAbsent(request.name(), request.input()) != null) {
                throw ExecutionAlreadyExistsException.builder().message("Execution Already Exists").build();
            }
            return StartExecutionResponse.builder().executionArn(request.stateMachineArn()
                    .replace(":stateMachine:", ":execution:") + ":" + request.name()).build();
        }

        @Override
        public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
            String name = request.executionArn().substring(request.executionArn().lastIndexOf(':') + 1);
            if (!inputs.containsKey(name)) {
                throw ExecutionDoesNotExistException.builder().message("Execution Does Not Exist").build();
            }
            String status = statuses.isEmpty() ? "RUNNING" : statuses.get(Math.min(describes, statuses.size() - 1));
            describes++;
            boolean ended = !"RUNNING".equals(status);
            return DescribeExecutionResponse.builder().executionArn(request.executionArn()).name(name)
                    .status(ExecutionStatus.fromValue(status)).input(inputs.get(name))
                    .output(ended && "SUCCEEDED".equals(status) ? output : null)
                    .error(ended ? error : null).cause(ended ? cause : null).build();
        }

        @Override
        public String serviceName() {
            return "states";
        }

        @Override
        public void close() {
        }
    }
}
