package io.tokenrotator.cli;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkExecutionStarter;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.cli.OperatorErrors.OperatorException;
import io.tokenrotator.cli.ops.CredentialCycles;
import io.tokenrotator.cli.ops.RotationExecutions;
import io.tokenrotator.cli.ops.RunOverview;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.contract.CredentialRecord;
import io.tokenrotator.contract.CycleRequest;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;
import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.service.ExecutionNames;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.service.RotationStarts;
import io.tokenrotator.store.S3RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ./token-rotator start}: starts the deployed state machine and, with --wait, follows it to its report. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Starts a rotation of the deployed Token Rotator.",
                "With --secret the execution is named as the automatic trigger names it (secret + current version):"
                        + " while that execution runs, starting again starts nothing; once it has closed (failed,"
                        + " or succeeded and you want another pass), the next start runs attempt -r2, -r3, ...",
                "With --credential SECRET it starts a cycle of the credential lifecycle for that managed secret instead"
                        + " (README: Credential lifecycle).",
                "Exit code with --wait: 0 only when every stack rotated or was unchanged (a cycle: when it succeeded)."})
final class StartCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws = new AwsOptions();
    @Option(names = "--secret", paramLabel = "ID", description = "The secret that changed: name, ARN or partial ARN.")
    String secret;
    @Option(names = "--credential", paramLabel = "SECRET", description = "Start a credential lifecycle cycle for this"
            + " managed secret (name or ARN): a new key, stored, rotated into every consumer, the old one retired.")
    String credential;
    @Option(names = "--prefix", paramLabel = "P", description = "Rotate only stacks whose name starts with P (within the"
            + " deployment's own scope), e.g. one FAILED stack's name to rotate it again.")
    String prefix;
    @Option(names = "--dry-run", description = "Only find the stacks and return the plan (a cycle: report what each"
            + " step would do, change nothing).")
    boolean dryRun;
    @Option(names = "--wait", description = "Follow the execution with a progress bar and print its report (a cycle:"
            + " each stage as it is reached, then the stage it ended at and its message).")
    boolean await;
    @Option(names = "--state-machine-arn", paramLabel = "ARN", description = "Default: the StateMachineArn output of --stack-name.")
    String stateMachineArn;
    @Option(names = "--stack-name", defaultValue = "TokenRotator", description = "The deployed stack (default ${DEFAULT-VALUE}).")
    String stackName;
    @Option(names = "--poll-seconds", defaultValue = "10", description = "How often --wait checks (default ${DEFAULT-VALUE}).")
    int pollSeconds;

    private final Clock clock;
    private final Sleeper sleeper;

    StartCommand() {
        this(Clock.systemUTC(), Thread::sleep);
    }

    StartCommand(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Waits between two checks (tests pass one that does not sleep). */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    @Override
    public Integer call() throws InterruptedException {
        AwsClients clients = aws.clients();
        if (credential != null) {
            return runCycle(CredentialCycles.of(clients));
        }
        RotationExecutions executions = new RotationExecutions(clients.stepFunctions(), clients.cloudFormation(),
                bucket -> new S3RunStore(clients.s3(), bucket));
        return run(executions, new SdkSecrets(clients.secretsManager()));
    }

    int run(RotationExecutions executions, SecretsPort secrets) throws InterruptedException {
        InputRules.stackNamePrefix("--prefix", prefix);
        String machine = stateMachineArn != null ? stateMachineArn : executions.stateMachineArn(stackName)
                .orElseThrow(() -> new OperatorException("stack " + stackName + " has no StateMachineArn output. Fix:"
                        + " deploy Token Rotator ('cdk deploy'), or pass --stack-name or --state-machine-arn"));
        SdkExecutionStarter starter = executions.starter(machine);
        String executionArn;
        if (secret != null) {
            SecretsPort.SecretDescription s = secrets.describeSecret(secret).orElseThrow(() ->
                    new InvalidInputException("--secret", "'" + secret + "' names no secret in this account and"
                            + " region. Fix: check the name or ARN and --region"));
            String version = s.currentVersion().orElseThrow(() ->
                    new OperatorException("secret " + s.name() + " has no AWSCURRENT version"));
            RotationStarts.Result result = new RotationStarts(starter).startOrRerun(s, version, prefix, dryRun);
            executionArn = starter.executionArn(result.executionName());
            System.out.println(describe(result, s.name(), executionArn));
        } else {
            RotationRequest request = new RotationRequest(null, null, null, prefix, null, dryRun ? true : null, null);
            String name = ExecutionNames.manual(LocalDateTime.now(clock), Json.write(request));
            executionArn = starter.executionArn(name);
            System.out.println((starter.start(name, Json.write(request)) == ExecutionStarter.Started.STARTED
                    ? "Started " : "Already started, not started again: ") + executionArn);
        }
        if (!await) {
            return 0;
        }
        ProgressBar progress = new ProgressBar(System.err, System.console() != null);
        int announced = -1;
        int shown = 0;
        RunOverview overview;
        while (true) {
            overview = executions.overview(executionArn);
            if (overview.stacksTotal() > 0 && announced < 0) {
                announced = overview.stacksTotal();
                progress.planned(overview.stacksTotal(), 0);
            }
            for (; shown < overview.stacksDone() && overview.report() != null && shown < overview.report().stacks().size(); shown++) {
                progress.stackDone(overview.report().stacks().get(shown).outcome().name());
            }
            if (!"RUNNING".equals(overview.status())) {
                break;
            }
            sleeper.sleep(pollSeconds * 1000L);
        }
        progress.finish();
        ReportCommand.print(overview, System.out);
        boolean clean = "SUCCEEDED".equals(overview.status()) && (overview.report() == null
                || overview.report().counts().getOrDefault(Outcome.FAILED, 0)
                + overview.report().counts().getOrDefault(Outcome.NEEDS_ATTENTION, 0) == 0);
        return clean ? 0 : 1;
    }

    /**
     * Starts the lifecycle for {@code --credential} with {@code {"secretId", "dryRun"}}, named
     * {@code cycle-<secret>-<minute>} (a second start in the same minute finds the first); with --wait follows it,
     * printing each stage the record reaches, then the stage it ended at and its message.
     */
    int runCycle(CredentialCycles cycles) throws InterruptedException {
        if (secret != null || prefix != null) {
            throw new InvalidInputException("--credential", "starts a credential cycle, which rotates every consumer"
                    + " of that secret itself; --secret and --prefix start a rotation: give one or the other");
        }
        java.util.Map<String, String> outputs = stateMachineArn != null ? java.util.Map.of() : cycles.outputs(stackName);
        String machine = stateMachineArn != null ? stateMachineArn : Optional.ofNullable(outputs.get(
                CredentialCycles.LIFECYCLE_OUTPUT)).orElseThrow(() -> new OperatorException("stack " + stackName
                + " has no " + CredentialCycles.LIFECYCLE_OUTPUT + " output: it manages no credential. Fix: list the"
                + " credential in cdk.json's \"credentials\" and run 'cdk deploy' (README: Credential lifecycle), or"
                + " pass --stack-name"));
        SecretsPort.SecretDescription s = cycles.secret("--credential", credential);
        String name = cycleName(s.name(), LocalDateTime.now(clock), dryRun);
        String executionArn = ExecutionNames.executionArn(machine, name);
        CredentialCycles.Started started = cycles.start(machine, name, Json.write(new CycleRequest(credential, dryRun)));
        System.out.println((started == CredentialCycles.Started.STARTED ? "Started " : "Already started, not started"
                + " again: ") + executionArn);
        if (!await) {
            return 0;
        }
        String bucket = outputs.get(CredentialCycles.BUCKET_OUTPUT);
        int shown = 0;
        String lastStage = null;
        CredentialCycles.Execution execution;
        while (true) {
            execution = cycles.execution(executionArn);
            List<CredentialRecord.Event> stages = bucket == null || dryRun ? List.of()
                    : cycles.record(bucket, s.name()).filter(r -> r.cycle() != null
                            && executionArn.equals(r.cycle().executionId()))
                    .map(r -> r.history().stream().filter(e -> r.cycle().cycleId().equals(e.cycleId())).toList())
                    .orElse(List.of());
            for (; shown < stages.size(); shown++) {
                CredentialRecord.Event e = stages.get(shown);
                System.out.printf("%-24s  %-12s  %s%n", e.at(), e.stage(), e.detail() == null ? "" : e.detail());
                lastStage = e.stage().name();
            }
            if (!execution.running()) {
                break;
            }
            sleeper.sleep(pollSeconds * 1000L);
        }
        printCycleEnd(execution, lastStage, System.out);
        return "SUCCEEDED".equals(execution.status()) ? 0 : 1;
    }

    /**
     * The end of a cycle's execution: its status, the stage it reached (from its output, else the last one its
     * record shows), its message (a failed execution's cause is the cycle's message), a dry run's audit.
     */
    static void printCycleEnd(CredentialCycles.Execution e, String recordedStage, java.io.PrintStream out) {
        JsonNode cycle = parse(e.output());
        out.println("Execution " + e.name() + ": " + e.status());
        String stage = cycle != null && cycle.hasNonNull("stage") ? cycle.path("stage").asText() : recordedStage;
        if (stage != null) {
            out.println("Stage reached: " + stage);
        }
        if (e.error() != null) {
            out.println("Error: " + e.error());
        }
        String message = cycle != null && cycle.hasNonNull("message") ? cycle.path("message").asText() : e.cause();
        if (message != null) {
            out.println("Message: " + message);
        }
        if (cycle != null && cycle.path("audit").size() > 0) {
            out.println("Dry run, nothing changed. It would:");
            cycle.path("audit").forEach(a -> out.println("  " + a.asText()));
        }
    }

    private static JsonNode parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code cycle-<secret>-<yyyyMMdd-HHmm>[-dry-run]}: readable, within Step Functions' 80 characters. */
    static String cycleName(String secretName, LocalDateTime now, boolean dryRun) {
        String readable = secretName.replaceAll("[^A-Za-z0-9_-]", "-");
        readable = readable.length() > 48 ? readable.substring(0, 48) : readable;
        return "cycle-" + readable + "-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"))
                + (dryRun ? "-dry-run" : "");
    }

    /** What a start with --secret did, in one line. */
    static String describe(RotationStarts.Result result, String secretName, String executionArn) {
        return switch (result.kind()) {
            case STARTED -> result.attempt() == 1 ? "Started " + executionArn
                    : "Started attempt " + result.attempt() + " for version " + result.versionId() + " of " + secretName
                    + " (attempt " + (result.attempt() - 1) + " ended " + result.previousStatus() + "): " + executionArn;
            case ALREADY_RUNNING -> "Already running, not started again: " + executionArn;
            case ALREADY_EXISTS -> "Already started, not started again: " + executionArn;
        };
    }
}
