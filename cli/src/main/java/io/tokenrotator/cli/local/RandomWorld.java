package io.tokenrotator.cli.local;

import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.settings.Setting;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One random world, drawn from a seed: a fleet with faults, rate limits, run settings, and failures at the Lambda
 * boundary and in the world while the run goes on (answers lost after the work was done, crashing status checks, a
 * stack deleted mid-run, the secret changed again mid-run). {@link #run} rotates it through the real workflow and
 * checks the invariants: the verifier's (nothing unreported at false, ROTATED means on the new version or a newer
 * one, ...), one report line per found stack, and an execution that fails exactly when a stack needs a person.
 * The property test runs a few seeds in CI; {@code ./token-rotator soak} runs any number.
 */
public record RandomWorld(long seed, FleetSpec spec, DeploymentSettings settings, double updateStackRate,
                          double describeStacksRate, int lostUpdateAnswers, int crashingStatusChecks,
                          boolean deleteAStackMidRun, boolean changeSecretMidRun) {

    public static RandomWorld draw(long seed) {
        Random r = new Random(seed);
        int stacks = 5 + r.nextInt(16);
        int updateSeconds = 20 + r.nextInt(70);
        FleetSpec spec = new FleetSpec(stacks, seed, Duration.ofSeconds(updateSeconds),
                Duration.ofSeconds(r.nextInt(updateSeconds / 2)), rate(r), rate(r), rate(r), rate(r), rate(r),
                rate(r), rate(r), r.nextDouble() * 0.5, r.nextDouble() * 0.5, r.nextInt(4),
                new FleetSpec.Kinds(rate(r), rate(r), rate(r), rate(r), rate(r), rate(r),
                        r.nextDouble() * 0.4));
        DeploymentSettings settings;
        do {
            int concurrency = 1 + r.nextInt(15);
            int pollSeconds = 10 + r.nextInt(30);
            int polls = 20 + r.nextInt(150);
            settings = settings(Map.of(Setting.MAX_CONCURRENCY, concurrency, Setting.POLL_SECONDS, pollSeconds,
                    Setting.MAX_WAIT_MINUTES, Math.max(1, polls * pollSeconds / 60),
                    Setting.RESTORE_ATTEMPTS, r.nextInt(3), Setting.RESTORE_DELAY_SECONDS, 10 + r.nextInt(60)));
        } while (settings == null);
        boolean limited = r.nextBoolean();
        return new RandomWorld(seed, spec, settings, limited ? 0.2 + r.nextDouble() * 3 : 0,
                limited ? 1 + r.nextDouble() * 10 : 0, r.nextInt(3), r.nextInt(6), r.nextDouble() < 0.3,
                r.nextDouble() < 0.3);
    }

    /** The settings, or null when a deployment would refuse them (over the history budget). */
    private static DeploymentSettings settings(Map<Setting, Integer> values) {
        try {
            return DeploymentSettings.of(values::get, Setting::key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static double rate(Random r) {
        return r.nextDouble() < 0.5 ? 0 : r.nextDouble() * 0.15;
    }

    /** Rotates this world at {@code timeScale}; returns every broken invariant, each naming the seed. */
    public List<String> run(double timeScale) {
        try (LocalEnvironment env = new LocalEnvironment(timeScale, new InputRules.Defaults(settings))) {
            Fleet.Built fleet = Fleet.build(spec, env.cloudFormation, env.secrets);
            if (updateStackRate > 0) {
                env.simulator.limit("UpdateStack", updateStackRate, 1 + (int) (seed % 3));
                env.simulator.limit("DescribeStacks", describeStacksRate, 1 + (int) (seed % 5));
            }
            if (lostUpdateAnswers > 0) {
                env.lambdas.injectFault("UpdateStack", p -> true, "Lambda.Unknown", true, lostUpdateAnswers);
            }
            if (crashingStatusChecks > 0) {
                env.lambdas.injectFault("StackStatus", p -> true, "Lambda.Unknown", false, crashingStatusChecks);
            }
            List<String> live = env.cloudFormation.liveStackNames();
            if (deleteAStackMidRun && !live.isEmpty()) {
                String victim = live.get((int) (seed % live.size()));
                env.lambdas.beforeInvoke("UpdateStack", p -> p.contains("\"target\":\"true\""),
                        () -> env.cloudFormation.deleteStack(victim));
            }
            if (changeSecretMidRun) {
                env.lambdas.beforeInvoke("UpdateStack", p -> p.contains("\"target\":\"true\""),
                        () -> env.secrets.putSecretValue(fleet.secretArn(), "changed-again-" + seed, null));
            }

            LocalRotation run = LocalRotation.run(env, new RotationRequest(null, fleet.secretArn(),
                    fleet.newVersionId(), null, null, null, null), fleet.newVersionId(), ProgressListener.NONE);

            List<String> broken = new ArrayList<>(run.problems());
            if (run.report() == null) {
                broken.add("no report: " + run.execution().error() + ": " + run.execution().cause());
                return named(broken);
            }
            int reported = run.report().counts().values().stream().mapToInt(Integer::intValue).sum();
            int found = run.plan().toRotate().size() + run.plan().skipped().size();
            if (reported != found) {
                broken.add("the report counts " + reported + " stacks, Find Stacks found " + found);
            }
            int problems = run.report().counts().get(Outcome.FAILED) + run.report().counts().get(Outcome.NEEDS_ATTENTION);
            String expected = problems > 0 ? "FAILED" : "SUCCEEDED";
            if (!expected.equals(run.execution().status())) {
                broken.add("the execution ended " + run.execution().status() + " with " + problems
                        + " FAILED or NEEDS_ATTENTION stack(s)");
            }
            return named(broken);
        }
    }

    private List<String> named(List<String> broken) {
        return broken.stream().map(b -> "seed " + seed + ": " + b).toList();
    }
}
