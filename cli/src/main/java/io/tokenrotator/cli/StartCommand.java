package io.tokenrotator.cli;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.cli.OperatorErrors.OperatorException;
import io.tokenrotator.cli.ops.RotationExecutions;
import io.tokenrotator.cli.ops.RunOverview;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.handler.Json;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.service.ExecutionNames;
import io.tokenrotator.store.S3RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./token-rotator start}: starts the deployed state machine and, with --wait, follows it to its report. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Starts a rotation of the deployed Token Rotator.",
                "With --secret the execution is named as the automatic trigger names it (secret + current version),"
                        + " so starting twice, or after the trigger, starts nothing more.",
                "Exit code with --wait: 0 only when every stack rotated or was unchanged."})
final class StartCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws = new AwsOptions();
    @Option(names = "--secret", paramLabel = "ID", description = "The secret that changed: name, ARN or partial ARN.")
    String secret;
    @Option(names = "--dry-run", description = "Only find the stacks and return the plan.")
    boolean dryRun;
    @Option(names = "--wait", description = "Follow the execution with a progress bar and print its report.")
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
        RotationExecutions executions = new RotationExecutions(clients.stepFunctions(), clients.cloudFormation(),
                bucket -> new S3RunStore(clients.s3(), bucket));
        return run(executions, new SdkSecrets(clients.secretsManager()));
    }

    int run(RotationExecutions executions, SecretsPort secrets) throws InterruptedException {
        String machine = stateMachineArn != null ? stateMachineArn : executions.stateMachineArn(stackName)
                .orElseThrow(() -> new OperatorException("stack " + stackName + " has no StateMachineArn output. Fix:"
                        + " deploy Token Rotator ('cdk deploy'), or pass --stack-name or --state-machine-arn"));
        RotationRequest request;
        String name;
        if (secret != null) {
            SecretsPort.SecretDescription s = secrets.describeSecret(secret).orElseThrow(() ->
                    new InvalidInputException("--secret", "'" + secret + "' names no secret in this account and"
                            + " region. Fix: check the name or ARN and --region"));
            String version = s.versionIdsToStages().entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT"))
                    .map(Map.Entry::getKey).findFirst().orElseThrow(() ->
                            new OperatorException("secret " + s.name() + " has no AWSCURRENT version"));
            request = new RotationRequest(null, s.arn(), version, null, null, dryRun ? true : null, null);
            name = ExecutionNames.forSecretVersion(s.name(), s.arn(), version) + (dryRun ? "-dry-run" : "");
        } else {
            request = new RotationRequest(null, null, null, null, null, dryRun ? true : null, null);
            name = manualName(request);
        }
        RotationExecutions.Started started = executions.start(machine, name, Json.write(request));
        System.out.println((started.started() ? "Started " : "Already started, not started again: ")
                + started.executionArn());
        if (!await) {
            return 0;
        }
        ProgressBar progress = new ProgressBar(System.err, System.console() != null);
        int announced = -1;
        int shown = 0;
        RunOverview overview;
        while (true) {
            overview = executions.overview(started.executionArn());
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

    /** Without a secret: the same request in the same minute gets the same name, so a double start is harmless. */
    private String manualName(RotationRequest request) {
        try {
            String minute = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm"));
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Json.write(request).getBytes(StandardCharsets.UTF_8));
            return "manual-" + minute + "-" + HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
