package io.tokenrotator.cli;

import io.tokenrotator.acceptance.AcceptanceAws;
import io.tokenrotator.acceptance.AcceptanceCleanup;
import io.tokenrotator.acceptance.AcceptancePlan;
import io.tokenrotator.acceptance.AcceptanceReport;
import io.tokenrotator.acceptance.AcceptanceRun;
import io.tokenrotator.acceptance.CdkCli;
import io.tokenrotator.acceptance.RunNames;
import io.tokenrotator.acceptance.SdkAcceptanceAws;
import io.tokenrotator.acceptance.Synthesis;
import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.cli.OperatorErrors.OperatorException;
import io.tokenrotator.cli.local.LocalEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code acceptance/run}: Token Rotator's acceptance test in a real AWS account. It lives in its own module
 * (acceptance/, it needs the CDK to synthesize) but in the CLI's package, to share its one-line error handling.
 */
@Command(name = "acceptance", mixinStandardHelpOptions = true,
        description = {"Deploys Token Rotator and three consumer stacks into a sandbox account, puts a new value on a"
                + " throwaway secret, checks that the trigger rotated every consumer, and deletes everything again.",
                "Exit code: 0 passed, 1 failed (or something was left behind), 2 bad option."})
public final class AcceptanceCommand implements Callable<Integer> {
    @Option(names = "--region", description = "AWS region (default: AWS_REGION or the profile's region).")
    String region;
    @Option(names = "--profile", description = "Named profile from ~/.aws (default: AWS_PROFILE or default).")
    String profile;
    @Option(names = "--dry-run", description = "Print the plan and synthesize everything; create nothing, no credentials needed.")
    boolean dryRun;
    @Option(names = "--create-trail", description = "Deploy Token Rotator with createTrail=true, for an account without a CloudTrail trail.")
    boolean createTrail;
    @Option(names = "--trigger-timeout-minutes", defaultValue = "15", paramLabel = "N",
            description = "How long the execution may take to appear after the put, 1-60 (default ${DEFAULT-VALUE}).")
    int triggerTimeoutMinutes;
    @Option(names = "--run-timeout-minutes", defaultValue = "45", paramLabel = "N",
            description = "How long the execution may run, 5-240 (default ${DEFAULT-VALUE}).")
    int runTimeoutMinutes;
    @Option(names = "--keep", description = "Leave everything in place afterwards (delete it later with --cleanup).")
    boolean keep;
    @Option(names = "--cleanup", paramLabel = "RUN_ID", description = "Only delete what run RUN_ID created.")
    String cleanupRunId;

    @Spec
    CommandSpec spec;

    private final Function<AwsClients, AwsClients> clientsHook;

    public AcceptanceCommand() {
        this(Function.identity());
    }

    /** Tests see the clients before they are used. */
    AcceptanceCommand(Function<AwsClients, AwsClients> clientsHook) {
        this.clientsHook = clientsHook;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new AcceptanceCommand()).execute(args));
    }

    static CommandLine commandLine(AcceptanceCommand command) {
        return new CommandLine(command)
                .setExecutionExceptionHandler(new OperatorErrors())
                .setParameterExceptionHandler((e, args) -> {
                    e.getCommandLine().getErr().println("token-rotator acceptance: " + e.getMessage());
                    return CommandLine.ExitCode.USAGE;
                });
    }

    @Override
    public Integer call() {
        RunNames names = cleanupRunId != null ? runNames(cleanupRunId) : RunNames.random(new SecureRandom());
        AcceptanceRun.Options options = new AcceptanceRun.Options(createTrail,
                Duration.ofMinutes(range("--trigger-timeout-minutes", triggerTimeoutMinutes, 1, 60)),
                Duration.ofMinutes(range("--run-timeout-minutes", runTimeoutMinutes, 5, 240)), keep);
        PrintStream out = System.out;
        if (dryRun) {
            AcceptancePlan.print(names, options, "the account and region of your credentials (dry run: nothing is"
                    + " created)", out);
            Synthesis.Synthesized s = Synthesis.real().synthesize(names, createTrail, null, region);
            s.deleteWorkDirectory();
            out.println();
            out.println("Synthesized without errors: the Token Rotator cloud assembly, the base template and "
                    + s.consumerTemplates().size() + " consumer templates.");
            return 0;
        }
        AcceptanceAws aws = new SdkAcceptanceAws(clientsHook.apply(AwsClients.forOperator(region, profile, null)),
                names.runId());
        if (cleanupRunId != null) {
            aws.stack(names.baseStack()); // a credentials or region problem ends here, in one line
            List<AcceptanceReport.Cleanup> items = new AcceptanceCleanup(aws, names, System.err).run(Optional.empty());
            AcceptanceReport.printCleanup(items, names, out);
            return items.stream().allMatch(AcceptanceReport.Cleanup::ok) ? 0 : 1;
        }
        AcceptanceAws.Account account = aws.bootstrappedAccount().orElseThrow(() -> new OperatorException(
                "the CDK bootstrap stack CDKToolkit does not exist in " + aws.region() + ". Fix: run"
                        + " 'npx cdk bootstrap' with these credentials and region, then run again"));
        AcceptancePlan.print(names, options, "account " + account.id() + ", " + account.region(), out);
        out.println();
        CdkCli cdk = new CdkCli(LocalEnvironment.projectRoot().resolve("node_modules/.bin/cdk"), account.region(), profile,
                System.err);
        AcceptanceRun run = new AcceptanceRun(aws, cdk, Synthesis.real(), names, options, account, System.err);
        Thread interrupted = new Thread(() -> System.err.println("\nInterrupted: delete what run " + names.runId()
                + " created with: acceptance/run --cleanup " + names.runId()));
        Runtime.getRuntime().addShutdownHook(interrupted);
        AcceptanceReport report = run.run();
        Runtime.getRuntime().removeShutdownHook(interrupted);
        report.print(out);
        return report.passed() ? 0 : 1;
    }

    private RunNames runNames(String runId) {
        try {
            return new RunNames(runId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--cleanup: " + e.getMessage());
        }
    }

    private int range(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + ": must be from " + min + " to " + max
                    + ", got " + value);
        }
        return value;
    }
}
