package io.tokenrotator.cli;

import io.tokenrotator.cli.local.LocalCycle;
import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.contract.CycleRequest;
import io.tokenrotator.credential.ManagedCredential;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import io.tokenrotator.simulator.IamUsers;
import io.tokenrotator.wiring.Permissions;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./token-rotator simulate --credential-lifecycle}: a whole credential cycle on a simulated fleet with two
 * faults, each met and fixed the way an operator would. Run 1 is blocked by a consumer that cannot be rotated (its
 * next update rolls back); after that one failed update it is fixed, and run 2 rotates again but finds an outside
 * user of the old key (a job outside the stacks); the operator moves that job to the new key, and run 3 retires the
 * old key. Every run is verified against the simulator (no consumer ever on an inactive or deleted key, at most two
 * keys, every rotated stack on the new version, no secret part anywhere).
 */
final class CredentialLifecycleSimulation {
    static final String OUTSIDE_SERVICE = "s3";
    static final String OUTSIDE_REGION = "eu-west-1";

    private CredentialLifecycleSimulation() {}

    static int run(int stacks, long seed, int updateSeconds, long quietSeconds, double timeScale, PrintStream out) {
        String user = Fleet.ManagedCredential.DEFAULT_USER;
        ManagedCredential managed = new ManagedCredential(Fleet.SECRET_NAME, ManagedCredential.IAM_ACCESS_KEY, user,
                quietSeconds, quietSeconds);
        try (LocalEnvironment env = new LocalEnvironment(timeScale, new InputRules.Defaults(DeploymentSettings.DEFAULTS),
                Permissions.declared(), List.of(managed))) {
            Fleet.Built fleet = Fleet.build(FleetSpec.healthy(stacks, seed, Duration.ofSeconds(updateSeconds)),
                    env.cloudFormation, env.secrets, Fleet.ManagedCredential.of(env.iam.users(), env.clock.now()));
            String oldKey = fleet.initialKeyId();
            List<String> live = env.cloudFormation.liveStackNames();
            String stuck = live.get((int) Math.floorMod(seed, (long) live.size()));
            env.cloudFormation.failUpdates(stuck, Fleet.PARAMETER, "false", 1,
                    CloudFormationModel.FailureMode.ROLLBACK, "Resource handler returned message: access denied");
            env.iam.users().addOutsideUser(oldKey, OUTSIDE_SERVICE, OUTSIDE_REGION);
            out.printf("Simulated fleet: %d consumer stacks (seed %d); secret %s holds %s's access key %s.%n", stacks,
                    seed, Fleet.SECRET_NAME, user, oldKey);
            out.printf("Quiet and grace periods: %d s each; time runs %.0fx.%n", quietSeconds, timeScale);
            out.printf("Faults: %s cannot be rotated (its next update rolls back); a job outside the stacks (%s, %s)"
                    + " still uses %s.%n%n", stuck, OUTSIDE_SERVICE, OUTSIDE_REGION, oldKey);

            List<String> problems = new ArrayList<>();
            LocalCycle first = cycle(env, "cycle-1", user, out, problems);
            out.printf("  -> the operator fixes %s (here: the fault was one failed update) and starts again.%n",
                    stuck);
            LocalCycle second = cycle(env, "cycle-2", user, out, problems);
            String newKey = second.record() == null ? null : second.record().cycle().newKeyId();
            out.printf("  -> the operator moves the outside job to the new key %s and starts again.%n", newKey);
            env.iam.users().removeOutsideUser(oldKey, OUTSIDE_SERVICE, OUTSIDE_REGION, env.clock.now());
            if (newKey != null) {
                env.iam.users().addOutsideUser(newKey, OUTSIDE_SERVICE, OUTSIDE_REGION);
            }
            LocalCycle third = cycle(env, "cycle-3", user, out, problems);

            expect(problems, first, "RetirementBlocked", stuck);
            expect(problems, second, "OldKeyStillInUse", OUTSIDE_SERVICE);
            expect(problems, third, null, oldKey);
            List<IamUsers.KeyMetadata> keys = env.iam.users().listAccessKeys(user, null, null).keys();
            out.println();
            out.println("Keys of " + user + " now: " + String.join(", ", keys.stream()
                    .map(k -> k.accessKeyId() + " (" + k.status() + ")").toList()));
            if (keys.size() != 1 || !keys.get(0).accessKeyId().equals(newKey)) {
                problems.add("expected only the new key " + newKey + " to be left, found " + keys);
            }
            if (!problems.isEmpty()) {
                out.println("VERIFICATION FAILED:");
                problems.forEach(p -> out.println("  - " + p));
                return 1;
            }
            out.println("Verified against the simulator: no consumer ever ran on an inactive or deleted key, "
                    + user + " never had more than two keys, every rotated stack resolved the new version, the old"
                    + " key was deactivated only after every consumer had the new one and nothing used it during the"
                    + " quiet period, and no secret part appears in any output or log.");
            return 0;
        }
    }

    private static LocalCycle cycle(LocalEnvironment env, String name, String user, PrintStream out,
                                    List<String> problems) {
        String since = env.clock.now().toString();
        LocalCycle run = LocalCycle.run(env, name, new CycleRequest(Fleet.SECRET_NAME, null), user);
        out.printf("Run %s: %s%s (%.1f s real)%n", name, run.execution().status(),
                run.execution().error() == null ? "" : " " + run.execution().error(),
                run.execution().realMillis() / 1000.0);
        if (run.record() != null) { // this run's stages (ISO instants of one clock compare as text)
            run.record().history().stream().filter(e -> e.at().compareTo(since) >= 0)
                    .forEach(e -> out.printf("    %s %-11s %s%n", e.at(), e.stage(), e.detail()));
        }
        run.problems().forEach(p -> problems.add(name + ": " + p));
        return run;
    }

    private static void expect(List<String> problems, LocalCycle run, String error, String mentioned) {
        String name = run.execution().executionName();
        if (error == null ? !run.execution().succeeded() : !error.equals(run.execution().error())) {
            problems.add(name + " ended " + run.execution().status() + " " + run.execution().error()
                    + ", expected " + (error == null ? "SUCCEEDED" : error));
        }
        String said = String.valueOf(run.execution().cause()) + (run.record() == null ? ""
                : run.record().cycle().message());
        if (!said.contains(mentioned)) {
            problems.add(name + " does not name " + mentioned + ": " + said);
        }
    }
}
