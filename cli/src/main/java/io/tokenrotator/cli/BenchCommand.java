package io.tokenrotator.cli;

import io.tokenrotator.cli.local.ColdStart;
import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.LocalTargets;
import io.tokenrotator.wiring.Permissions;
import io.tokenrotator.cli.local.LocalRotation;
import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.errors.ThrottledException;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.settings.Setting;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import io.tokenrotator.simulator.UpdateStackTimeline;
import io.tokenrotator.wiring.RotatorFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * {@code ./token-rotator bench}: rotates healthy simulated fleets of several sizes under a CloudFormation rate
 * limit and prints how close the workflow gets to the floor any design has: both phases of one stack take at
 * least 2 x L, and 2 N UpdateStack calls take at least 2 N / rate.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures makespan, API calls and state transitions per stack, throttling and memory; or, with"
                + " --cold-start, each function's cold start.")
final class BenchCommand implements Callable<Integer> {
    private final BiFunction<Double, InputRules.Defaults, LocalEnvironment> environments;

    BenchCommand(BiFunction<Double, InputRules.Defaults, LocalEnvironment> environments) {
        this.environments = environments;
    }

    @Option(names = "--stacks", split = ",", defaultValue = "100,1000,5000", converter = OptionValues.StackCount.class,
            description = "Fleet sizes, each 1-100000 (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;
    @Option(names = "--update-seconds", defaultValue = "60", converter = OptionValues.Seconds.class,
            description = "L: simulated duration of one update, 1-86400 (default ${DEFAULT-VALUE}).")
    int updateSeconds;
    @Option(names = "--update-rate", defaultValue = "2", converter = OptionValues.Rate.class,
            description = "UpdateStack calls per second, above 0, at most 10000 (default ${DEFAULT-VALUE}).")
    double updateRate;
    @Option(names = "--describe-rate", defaultValue = "20", converter = OptionValues.Rate.class,
            description = "DescribeStacks calls per second, above 0, at most 10000 (default ${DEFAULT-VALUE}).")
    double describeRate;
    @Option(names = "--update-stack-rate", converter = OptionValues.UpdateStackRate.class,
            description = "The run's rate budget (updateStackRate), UpdateStack calls per second, 1-100 (default:"
                    + " --update-rate, rounded up).")
    Integer updateStackRate;
    @Option(names = "--convention", defaultValue = "ROTATE_TOKEN",
            description = "Every stack of the fleet follows this convention: ${COMPLETION-CANDIDATES} (default"
                    + " ${DEFAULT-VALUE}).")
    Convention convention;
    @Option(names = "--max-concurrency", defaultValue = "1000", converter = OptionValues.Concurrency.class,
            description = "The safety cap on stacks in flight, 1-10000 (default ${DEFAULT-VALUE}).")
    int maxConcurrency;
    @Option(names = "--poll-seconds", defaultValue = "20", converter = OptionValues.PollSeconds.class,
            description = "Wait between status checks, 1-3600 (default ${DEFAULT-VALUE}).")
    int pollSeconds;
    @Option(names = "--time-scale", defaultValue = "20", converter = OptionValues.TimeScale.class,
            description = "Simulated seconds per real second, above 0, at most 1000 (default ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--histogram", paramLabel = "PREFIX", description = "Also write, for each fleet size N, the"
            + " UpdateStack requests and throttled responses of every simulated second, by phase and by kind (first"
            + " call, the SDK's own retry, the workflow trying the same update again), to PREFIX-N.csv, and print"
            + " their totals.")
    Path histogram;

    @Option(names = "--cold-start", description = "Measure instead each function's cold start: a fresh JVM per call"
            + " (java -cp <the shaded Lambda jar>, the deployment's JVM options) that constructs the handler and"
            + " invokes it once against the simulator.")
    boolean coldStart;
    @Option(names = "--repetitions", defaultValue = "5", converter = OptionValues.Repetitions.class,
            description = "With --cold-start: cold starts per function, 1-100 (default ${DEFAULT-VALUE}).")
    int repetitions;

    /** The deployment's defaults with this command's options, checked as a deployment checks them. */
    private DeploymentSettings settings() {
        try {
            return DeploymentSettings.DEFAULTS.with(Setting.MAX_CONCURRENCY, maxConcurrency,
                    Setting.MAX_CONCURRENCY.option()).with(Setting.POLL_SECONDS, pollSeconds,
                    Setting.POLL_SECONDS.option()).with(Setting.UPDATE_STACK_RATE, budget(),
                    Setting.UPDATE_STACK_RATE.option());
        } catch (IllegalArgumentException e) {
            throw new OptionValues.OptionException(spec.commandLine(), e.getMessage());
        }
    }

    /** The run's budget: as given, or the simulated account's UpdateStack limit. */
    private int budget() {
        return updateStackRate != null ? updateStackRate : (int) Math.ceil(updateRate);
    }

    /** Plain healthy stacks of one convention; every update takes exactly L. */
    private FleetSpec fleet(int n) {
        double inPlace = convention == Convention.IN_PLACE ? 1 : 0;
        return new FleetSpec(n, 7, Duration.ofSeconds(updateSeconds), Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                new FleetSpec.Kinds(0, 0, 0, 0, 0, 0, inPlace));
    }

    @Option(names = "--accounts", defaultValue = "1", converter = OptionValues.Accounts.class,
            description = "Accounts of a simulated organization, 1-20 (default ${DEFAULT-VALUE}): the stacks are spread"
                    + " over accounts x regions, each with its own limits (--update-rate, --describe-rate).")
    int accounts;
    @Option(names = "--regions", defaultValue = "1", converter = OptionValues.Regions.class,
            description = "Regions per account, 1-6 (default ${DEFAULT-VALUE}).")
    int regions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (coldStart) {
            return coldStart();
        }
        DeploymentSettings settings = settings();
        System.out.printf("%s fleet, L = %d s, UpdateStack limit %.1f/s, budget (updateStackRate) %d/s, DescribeStacks"
                + " %.1f/s, MaxConcurrency %d, poll %d s, time x%.0f%s%n%n", convention, updateSeconds, updateRate,
                budget(), describeRate, maxConcurrency, pollSeconds, timeScale, accounts * regions == 1 ? ""
                        : ", " + accounts + " account(s) x " + regions + " region(s), limits and budget per target");
        System.out.println("| stacks | makespan | floor | makespan/floor | calls per stack | transitions per stack"
                + " | throttled (seen / surfaced) | not rotated | peak JVM heap |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        boolean allRotated = true;
        List<String> notes = new ArrayList<>(); // why stacks were not rotated: a few examples a row
        for (int n : sizes) {
            // the deployment's status-check time per phase, whatever the poll interval (as Find Stacks derives it)
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            LocalTargets org = LocalTargets.simulated(accounts, regions, Duration.ZERO);
            try (LocalEnvironment env = org.isHomeOnly()
                    ? environments.apply(timeScale, new InputRules.Defaults(settings))
                    : new LocalEnvironment(timeScale, new InputRules.Defaults(settings), Permissions.declared(),
                    List.of(), org)) {
                Fleet.Built fleet = org.isHomeOnly() ? Fleet.build(fleet(n), env.cloudFormation, env.secrets)
                        : Fleet.buildAcross(fleet(n), env.simulator, org.fleetTargets()).built();
                for (Fleet.Target t : org.fleetTargets()) { // each account and region has its own limits
                    env.simulator.limit(t.account(), t.region(), "UpdateStack", updateRate,
                            (int) Math.max(1, updateRate));
                    env.simulator.limit(t.account(), t.region(), "DescribeStacks", describeRate,
                            (int) Math.max(1, describeRate));
                }
                Instant start = env.clock.now();
                LocalRotation run = LocalRotation.run(env, new RotationRequest(null, fleet.secretArn(),
                        fleet.newVersionId(), null, null, null, null), fleet.newVersionId(),
                        new io.tokenrotator.cli.local.ProgressListener() { });
                double makespan = Duration.between(start, env.clock.now()).toMillis() / 1000.0;
                // the floor at the account's real limit: one update per stack in place, two for RotateToken
                int updates = convention.updates();
                // with several targets, the slowest one's: each has its own limit, the stacks go round-robin
                int targets = org.fleetTargets().size();
                double floor = Math.max(updates * (double) updateSeconds,
                        updates * Math.ceil(n / (double) targets) / updateRate);
                Map<String, String> perStack = new TreeMap<>();
                run.apiCalls().forEach((op, count) -> perStack.put(op, String.format("%.2f", count / (double) n)));
                long seen = run.throttled().values().stream().mapToLong(Long::longValue).sum();
                long surfaced = run.handlerErrors().getOrDefault(ThrottledException.class.getName(), 0L);
                int notRotated = run.report() == null ? n : n - run.report().counts().getOrDefault(Outcome.ROTATED, 0);
                allRotated &= notRotated == 0 && run.problems().isEmpty();
                System.out.printf("| %d | %.0f s | %.0f s | %.2f | %s | %.1f | %d / %d | %d | %d MiB |%n", n, makespan,
                        floor, makespan / floor, perStack.toString().replace("{", "").replace("}", ""),
                        run.execution().transitions() / (double) n, seen, surfaced, notRotated, peakHeapMiB());
                if (run.report() == null) {
                    notes.add(n + " stacks: no report, the execution ended " + run.execution().status() + " "
                            + run.execution().error() + ": " + run.execution().cause());
                } else {
                    run.report().stacks().stream().filter(r -> r.outcome() != Outcome.ROTATED).limit(3)
                            .forEach(r -> notes.add(n + " stacks: " + r.outcome() + " " + r.stackName() + ": "
                                    + r.reason()));
                }
                run.problems().stream().limit(3).forEach(p -> notes.add(n + " stacks: verification: " + p));
                if (histogram != null) {
                    notes.add(n + " stacks: UpdateStack " + writeHistogram(env.simulator.updateStackTimeline(), start, n));
                }
            }
        }
        if (!notes.isEmpty()) {
            System.out.println();
            notes.forEach(note -> System.out.println("- " + note));
        }
        return allRotated ? 0 : 1;
    }

    /** {@code --cold-start}: the median and slowest cold start of every function, and the jar's size. */
    private int coldStart() {
        Path jar = ColdStart.lambdaJar(LocalEnvironment.projectRoot());
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<ColdStart.Timings> timings;
        try (LocalEnvironment env = ColdStart.environment(repetitions)) {
            timings = ColdStart.measure(env, jar, repetitions, line -> System.err.println("  " + line));
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long bytes;
        try {
            bytes = Files.size(jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf("Cold starts: %d fresh JVMs per function, java -cp %s (%.1f MiB, %d bytes), Java %s,"
                        + " JAVA_TOOL_OPTIONS=\"%s\"; load average (1 min) %.2f before, %.2f after%n%n", repetitions,
                jar.getFileName(), bytes / (1024.0 * 1024.0), bytes, System.getProperty("java.version"),
                RotatorFunction.JAVA_TOOL_OPTIONS, loadBefore, loadAfter);
        System.out.println("| function | JVM up to main (median) | handler constructed (median) | first answer (median)"
                + " | first answer (max) | CPU used (median) |");
        System.out.println("|---|---|---|---|---|---|");
        for (ColdStart.Timings t : timings) {
            long cpu = t.median(ColdStart.Sample::cpu);
            System.out.printf("| %s | %d ms | %d ms | %d ms | %d ms | %s |%n", t.function().id(),
                    t.median(ColdStart.Sample::toMain), t.median(ColdStart.Sample::toConstructed),
                    t.median(ColdStart.Sample::toAnswer), t.max(ColdStart.Sample::toAnswer),
                    cpu < 0 ? "n/a" : cpu + " ms");
        }
        System.out.println();
        System.out.println("Times from launching the JVM; CPU used: by all the JVM's threads until the answer (it"
                + " changes less with the machine's load than the times). Every handler answered with a JSON object.");
        return 0;
    }

    /**
     * Writes the run's UpdateStack timeline to {@code <histogram>-<n>.csv}, one line per simulated second since the
     * start (seconds without a request included), and returns the totals by kind, requests / throttled.
     */
    private String writeHistogram(UpdateStackTimeline timeline, Instant start, int n) {
        List<UpdateStackTimeline.Second> seconds = timeline.seconds();
        UpdateStackTimeline.Kind[] kinds = UpdateStackTimeline.Kind.values();
        StringBuilder csv = new StringBuilder("second");
        for (UpdateStackTimeline.Kind k : kinds) {
            String name = k.name().toLowerCase(java.util.Locale.ROOT);
            csv.append(',').append(name).append(',').append(name).append("_throttled");
        }
        csv.append('\n');
        long[][] totals = new long[kinds.length][2];
        long last = seconds.isEmpty() ? start.getEpochSecond() : seconds.get(seconds.size() - 1).epochSecond();
        int i = 0;
        for (long s = start.getEpochSecond(); s <= last; s++) {
            UpdateStackTimeline.Second second = i < seconds.size() && seconds.get(i).epochSecond() == s
                    ? seconds.get(i++) : null;
            csv.append(s - start.getEpochSecond());
            for (UpdateStackTimeline.Kind k : kinds) {
                int requests = second == null ? 0 : second.requests(k);
                int throttled = second == null ? 0 : second.throttled(k);
                totals[k.ordinal()][0] += requests;
                totals[k.ordinal()][1] += throttled;
                csv.append(',').append(requests).append(',').append(throttled);
            }
            csv.append('\n');
        }
        Path file = histogram.resolveSibling(histogram.getFileName() + "-" + n + ".csv");
        try {
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder summary = new StringBuilder("requests / throttled:");
        for (UpdateStackTimeline.Kind k : kinds) {
            summary.append(' ').append(k.name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(totals[k.ordinal()][0]).append(" / ").append(totals[k.ordinal()][1]).append(';');
        }
        return summary.append(" per second in ").append(file).toString();
    }

    private static long peakHeapMiB() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024 * 1024);
    }
}
