package io.tokenrotator.cli.local;

import io.tokenrotator.contract.CycleRequest;
import io.tokenrotator.contract.CycleStage;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.credential.ManagedCredential;
import io.tokenrotator.simulator.IamUsers;
import io.tokenrotator.wiring.Permissions;
import io.tokenrotator.wiring.RotatorFunction;
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
                          boolean deleteAStackMidRun, boolean changeSecretMidRun, CycleFaults cycle) {
    /**
     * A world whose secret is a managed credential: the credential lifecycle runs (and starts the rotation) instead
     * of a rotation alone. Faults of its own: a second key already there (Active or Inactive), an outside user of
     * the old key, and lost answers of one lifecycle function (Lambda.Unknown after the work was done).
     */
    public record CycleFaults(String extraKey, boolean outsideUser, String lostAnswersOf, int lostAnswers,
                              long quietSeconds) {}


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
        double updateRate = limited ? 0.2 + r.nextDouble() * 3 : 0;
        double describeRate = limited ? 1 + r.nextDouble() * 10 : 0;
        int lostUpdates = r.nextInt(3);
        int crashingChecks = r.nextInt(6);
        boolean deleteMidRun = r.nextDouble() < 0.3;
        boolean changeMidRun = r.nextDouble() < 0.3;
        CycleFaults cycle = null; // drawn after everything else, so older seeds draw the same worlds as before
        if (r.nextDouble() < 0.3) {
            List<String> functions = RotatorFunction.lifecycle().stream().map(RotatorFunction::id).toList();
            cycle = new CycleFaults(List.of("none", "Active", "Inactive").get(r.nextInt(3)), r.nextDouble() < 0.3,
                    functions.get(r.nextInt(functions.size())), r.nextInt(3), 30 + r.nextInt(120));
        }
        return new RandomWorld(seed, spec, settings, updateRate, describeRate, lostUpdates, crashingChecks,
                deleteMidRun, changeMidRun, cycle);
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
        List<ManagedCredential> managed = cycle == null ? List.of() : List.of(new ManagedCredential(Fleet.SECRET_NAME,
                ManagedCredential.IAM_ACCESS_KEY, Fleet.ManagedCredential.DEFAULT_USER, cycle.quietSeconds(),
                cycle.quietSeconds()));
        try (LocalEnvironment env = new LocalEnvironment(timeScale, new InputRules.Defaults(settings),
                Permissions.declared(), managed)) {
            Fleet.Built fleet = cycle == null ? Fleet.build(spec, env.cloudFormation, env.secrets)
                    : Fleet.build(spec, env.cloudFormation, env.secrets,
                    Fleet.ManagedCredential.of(env.iam.users(), env.clock.now()));
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

            if (cycle != null) {
                return named(runCycle(env, fleet));
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

    /**
     * The lifecycle in this world: its own faults on top of the fleet's and the rotation's, then the invariants
     * (LocalCycle's verification, and what the keys must look like for the stage the cycle reached).
     */
    private List<String> runCycle(LocalEnvironment env, Fleet.Built fleet) {
        String user = Fleet.ManagedCredential.DEFAULT_USER;
        if (!cycle.extraKey().equals("none")) {
            String extra = env.iam.users().createAccessKey(user, env.clock.now()).metadata().accessKeyId();
            if (cycle.extraKey().equals("Inactive")) {
                env.iam.users().updateAccessKey(user, extra, "Inactive", env.clock.now());
            }
        }
        if (cycle.outsideUser()) {
            env.iam.users().addOutsideUser(fleet.initialKeyId(), "s3", "eu-west-1");
        }
        if (cycle.lostAnswers() > 0) {
            env.lambdas.injectFault(cycle.lostAnswersOf(), p -> true, "Lambda.Unknown", true, cycle.lostAnswers());
        }
        LocalCycle run = LocalCycle.run(env, "cycle-" + seed, new CycleRequest(Fleet.SECRET_NAME, null), user);
        List<String> broken = new ArrayList<>(run.problems());
        CycleStage stage = run.record() == null ? null : run.record().cycle().stage();
        boolean oldKeyActive = env.iam.users().listAccessKeys(user, null, null).keys().stream()
                .anyMatch(k -> k.accessKeyId().equals(fleet.initialKeyId()) && k.status() == IamUsers.Status.Active);
        boolean oldKeyExists = env.iam.users().owner(fleet.initialKeyId()).isPresent();
        if (run.execution().succeeded() != (stage == CycleStage.RETIRED)) {
            broken.add("the lifecycle ended " + run.execution().status() + " at stage " + stage);
        }
        if (stage == CycleStage.RETIRED && oldKeyExists) {
            broken.add("the cycle says RETIRED but the old key " + fleet.initialKeyId() + " still exists");
        }
        if ((stage == CycleStage.BLOCKED || stage == CycleStage.IN_USE) && !oldKeyActive) {
            broken.add("the cycle stopped at " + stage + " but the old key is not active");
        }
        if (cycle.outsideUser() && !oldKeyActive) {
            broken.add("the old key had an outside user and was deactivated or deleted anyway");
        }
        if (!run.execution().succeeded() && run.execution().cause() == null) {
            broken.add("the lifecycle failed without a cause");
        }
        return broken;
    }

    private List<String> named(List<String> broken) {
        return broken.stream().map(b -> "seed " + seed + ": " + b).toList();
    }
}
