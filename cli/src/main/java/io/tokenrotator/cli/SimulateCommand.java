package io.tokenrotator.cli;

import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.LocalRotation;
import io.tokenrotator.cli.local.LocalTargets;
import io.tokenrotator.wiring.Permissions;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.json.Json;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.settings.Setting;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/** {@code ./token-rotator simulate}: a complete rotation of a simulated fleet, verified afterwards. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs a complete rotation locally: the real state machine (aws-local-stepfunctions) calls the"
                + " real handlers, which talk through the AWS SDK to a simulated CloudFormation and Secrets Manager.",
                "Afterwards it checks every stack in the simulator and exits 1 if any stack is at RotateToken=false"
                        + " (or rotated onto the wrong secret version) without being reported."})
final class SimulateCommand implements Callable<Integer> {
    private final BiFunction<Double, InputRules.Defaults, LocalEnvironment> environments;

    SimulateCommand(BiFunction<Double, InputRules.Defaults, LocalEnvironment> environments) {
        this.environments = environments;
    }

    @Option(names = "--stacks", defaultValue = "50", converter = OptionValues.StackCount.class,
            description = "Consumer stacks in the fleet, 1-100000 (default ${DEFAULT-VALUE}).")
    int stacks;
    @Option(names = "--seed", defaultValue = "42", converter = OptionValues.Seed.class, description = "Seed for the fleet and its faults (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--max-concurrency", converter = OptionValues.Concurrency.class,
            description = "The safety cap on stacks in flight, 1-10000 (default: the deployment's).")
    Integer maxConcurrency;
    @Option(names = "--update-seconds", defaultValue = "60", converter = OptionValues.Seconds.class,
            description = "Simulated duration of one stack update, 1-86400 (default ${DEFAULT-VALUE}).")
    int updateSeconds;
    @Option(names = "--phase1-failures", converter = OptionValues.Fraction.class, defaultValue = "0.04", description = "Fraction whose RotateToken=false update rolls back.")
    double phase1Failures;
    @Option(names = "--phase2-transient", converter = OptionValues.Fraction.class, defaultValue = "0.06", description = "Fraction whose RotateToken=true update rolls back once.")
    double phase2Transient;
    @Option(names = "--phase2-permanent", converter = OptionValues.Fraction.class, defaultValue = "0.02", description = "Fraction whose RotateToken=true update always rolls back.")
    double phase2Permanent;
    @Option(names = "--busy", converter = OptionValues.Fraction.class, defaultValue = "0.06", description = "Fraction busy with another update when the run starts.")
    double busy;
    @Option(names = "--left-at-false", converter = OptionValues.Fraction.class, defaultValue = "0.04", description = "Fraction an earlier run left at RotateToken=false.")
    double leftAtFalse;
    @Option(names = "--nested", converter = OptionValues.Fraction.class, defaultValue = "0.04", description = "Fraction that are nested stacks (skipped).")
    double nested;
    @Option(names = "--not-updatable", converter = OptionValues.Fraction.class, defaultValue = "0.04", description = "Fraction in ROLLBACK_COMPLETE / UPDATE_ROLLBACK_FAILED (skipped).")
    double notUpdatable;
    @Option(names = "--with-capabilities", converter = OptionValues.Fraction.class, defaultValue = "0.2", description = "Fraction that need CAPABILITY_IAM.")
    double withCapabilities;
    @Option(names = "--language-extensions", converter = OptionValues.Fraction.class, defaultValue = "0.1", description = "Fraction using the AWS::LanguageExtensions transform.")
    double languageExtensions;
    @Option(names = "--update-spread-seconds", converter = OptionValues.SpreadSeconds.class, description = "Each update takes --update-seconds +/- up to this (default: a third of it).")
    Integer updateSpreadSeconds;
    @Option(names = "--no-faults", description = "A healthy fleet: no failures, no busy, nested or broken stacks.")
    boolean noFaults;
    @Option(names = "--rate-limit", paramLabel = "OPERATION=PER_SECOND",
            converter = {OptionValues.Operation.class, OptionValues.Rate.class},
            description = "CloudFormation calls per second before Throttling, per operation (DescribeStacks,"
                    + " GetStackPolicy, GetTemplate, UpdateStack; above 0, at most 10000); repeatable"
                    + " (default UpdateStack=5, DescribeStacks=20).")
    Map<String, Double> rateLimits = new LinkedHashMap<>(Map.of("UpdateStack", 5.0, "DescribeStacks", 20.0));
    @Option(names = "--time-scale", defaultValue = "60", converter = OptionValues.TimeScale.class,
            description = "Simulated seconds per real second, above 0, at most 1000 (default ${DEFAULT-VALUE}).")
    double timeScale;
    @Option(names = "--json", paramLabel = "FILE", converter = OptionValues.WritableFile.class,
            description = "Also write the report and verification as JSON (checked before the run).")
    Path json;
    @Option(names = "--all", description = "List every stack, not only those that were not rotated.")
    boolean all;
    @Option(names = "--credential-lifecycle", description = "Instead of one rotation: a whole credential cycle"
            + " (new access key, stored, every consumer rotated, the old key retired) on a healthy fleet with a"
            + " consumer that cannot be rotated and an outside user of the old key, each fixed in turn; three runs,"
            + " verified against the simulator.")
    boolean credentialLifecycle;
    @Option(names = "--accounts", defaultValue = "1", converter = OptionValues.Accounts.class,
            description = "Accounts of the simulated organization, 1-20 (default ${DEFAULT-VALUE}: this one): each"
                    + " other account gets the target role, its stacks are reached through it.")
    int accounts;
    @Option(names = "--regions", defaultValue = "1", converter = OptionValues.Regions.class,
            description = "Regions per account, 1-6 (default ${DEFAULT-VALUE}): the"
                    + " secret is replicated to the others, and their consumers wait for the replica.")
    int regions;
    @Option(names = "--replica-lag-seconds", defaultValue = "120", converter = OptionValues.SpreadSeconds.class,
            description = "With --regions above 1: how long a replica takes to carry a new version, 0-86399"
                    + " (default ${DEFAULT-VALUE}).")
    int replicaLagSeconds;
    @Option(names = "--quiet-seconds", defaultValue = "300", converter = OptionValues.Seconds.class,
            description = "With --credential-lifecycle: simulated quiet and grace periods, 1-86400 (default"
                    + " ${DEFAULT-VALUE}).")
    int quietSeconds;

    @Spec
    CommandSpec spec;

    /** Options of the one-rotation simulation that --credential-lifecycle does not use. */
    private static final List<String> ROTATION_ONLY = List.of("--max-concurrency", "--phase1-failures",
            "--phase2-transient", "--phase2-permanent", "--busy", "--left-at-false", "--nested", "--not-updatable",
            "--with-capabilities", "--language-extensions", "--update-spread-seconds", "--no-faults", "--rate-limit",
            "--json", "--all", "--accounts", "--regions", "--replica-lag-seconds");

    @Override
    public Integer call() throws IOException {
        if (credentialLifecycle) {
            List<String> ignored = ROTATION_ONLY.stream()
                    .filter(o -> spec.commandLine().getParseResult().hasMatchedOption(o)).toList();
            if (!ignored.isEmpty()) {
                throw new OptionValues.OptionException(spec.commandLine(), String.join(", ", ignored)
                        + ": not used with --credential-lifecycle, whose fleet is healthy apart from its two faults");
            }
            return CredentialLifecycleSimulation.run(stacks, seed, updateSeconds, quietSeconds, timeScale, System.out);
        }
        FleetSpec fleetSpec = fleetSpec();
        PrintStream out = System.out;
        DeploymentSettings settings = maxConcurrency == null ? DeploymentSettings.DEFAULTS
                : DeploymentSettings.DEFAULTS.with(Setting.MAX_CONCURRENCY, maxConcurrency, Setting.MAX_CONCURRENCY.option());
        LocalTargets targets = LocalTargets.simulated(accounts, regions, Duration.ofSeconds(replicaLagSeconds));
        try (LocalEnvironment env = targets.isHomeOnly() ? environments.apply(timeScale, new InputRules.Defaults(settings))
                : new LocalEnvironment(timeScale, new InputRules.Defaults(settings), Permissions.declared(), List.of(),
                targets)) {
            Fleet.Built fleet = targets.isHomeOnly() ? Fleet.build(fleetSpec, env.cloudFormation, env.secrets)
                    : Fleet.buildAcross(fleetSpec, env.simulator, targets.fleetTargets()).built();
            if (!targets.isHomeOnly()) {
                out.printf("Organization: %d account(s) x %d region(s) %s; replicas take %d s; each other account's"
                        + " stacks through its role %s.%n", accounts, regions, targets.regions(), replicaLagSeconds,
                        LocalTargets.ROLE_NAME);
            }
            // every account and region has its own CloudFormation limits
            rateLimits.forEach((operation, perSecond) -> targets.fleetTargets().forEach(t -> env.simulator.limit(
                    t.account(), t.region(), operation, perSecond, (int) Math.max(1, perSecond * 2))));
            out.printf("Simulated fleet: %d consumer stacks (seed %d), secret %s changed to version %s.%n",
                    stacks, seed, Fleet.SECRET_NAME, fleet.newVersionId());
            out.printf("Time runs %.0fx: a %d s update takes %.1f s here.%n", timeScale, updateSeconds,
                    updateSeconds / timeScale);
            ProgressBar progress = new ProgressBar(System.err, System.console() != null);
            LocalRotation run = LocalRotation.run(env, new RotationRequest(null, fleet.secretArn(),
                    fleet.newVersionId(), null, null, null, null), fleet.newVersionId(), progress);
            progress.finish();
            out.println();
            out.printf("Execution %s: %s%s (%.1f s real, %.0f s simulated)%n", run.execution().executionName(),
                    run.execution().status(), run.execution().error() == null ? "" : " with " + run.execution().error(),
                    run.execution().realMillis() / 1000.0,
                    run.execution().realMillis() * timeScale / 1000.0);
            if (run.report() == null) {
                out.println("No report: " + run.execution().cause());
                return 1;
            }
            ReportTable.print(run.report(), out, all);
            out.println("CloudFormation calls: " + run.apiCalls() + "; throttled: " + run.throttled());
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("execution", run.execution());
                doc.put("report", run.report());
                doc.put("verification", run.problems());
                Files.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
                out.println("Report written to " + json);
            }
            if (!run.problems().isEmpty()) {
                out.println("VERIFICATION FAILED:");
                run.problems().forEach(p -> out.println("  - " + p));
                return 1;
            }
            out.println("Verified against the simulator: every stack's resources resolved the new secret version"
                    + " (RotateToken back at true, or TokenVersion at the new version in place), or the stack is"
                    + " reported FAILED / NEEDS_ATTENTION with a reason; no in-place stack lost a resource.");
            return 0;
        }
    }

    /**
     * The fleet, after the checks that involve several options. Fleet.build gives each stack at most one of the
     * exclusive faults, drawn from their fractions in turn, so fractions adding up to more than 1 cannot be honoured.
     */
    private FleetSpec fleetSpec() {
        int spreadSeconds = updateSpreadSeconds != null ? updateSpreadSeconds : updateSeconds / 3;
        if (spreadSeconds >= updateSeconds) {
            throw new OptionValues.OptionException(spec.commandLine(), "--update-spread-seconds", spreadSeconds
                    + " is not below --update-seconds (" + updateSeconds + ")", "expected a whole number from 0 to "
                    + (updateSeconds - 1));
        }
        Duration duration = Duration.ofSeconds(updateSeconds);
        if (noFaults) {
            return FleetSpec.healthy(stacks, seed, duration);
        }
        BigDecimal exclusive = BigDecimal.ZERO;
        for (double fraction : new double[] {phase1Failures, phase2Transient, phase2Permanent, busy, leftAtFalse,
                nested, notUpdatable}) {
            exclusive = exclusive.add(BigDecimal.valueOf(fraction));
        }
        if (exclusive.compareTo(BigDecimal.ONE) > 0) {
            throw new OptionValues.OptionException(spec.commandLine(), "--phase1-failures, --phase2-transient,"
                    + " --phase2-permanent, --busy, --left-at-false, --nested, --not-updatable", "add up to "
                    + exclusive.stripTrailingZeros().toPlainString(), "expected fractions that add up to at most 1"
                    + " (each stack carries at most one of these faults)");
        }
        return new FleetSpec(stacks, seed, duration, Duration.ofSeconds(spreadSeconds), phase1Failures,
                phase2Transient, phase2Permanent, busy, leftAtFalse, nested, notUpdatable, withCapabilities,
                languageExtensions, stacks / 5);
    }
}
