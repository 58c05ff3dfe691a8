package io.tokenrotator.cli;

import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.LocalRotation;
import io.tokenrotator.cli.local.ProgressListener;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.service.CheckSchedule;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.simulator.ConsumerTemplates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Status checks are timed by what is expected, not a fixed pollSeconds (20 s by default): one RotateToken stack,
 * rotated by the real workflow with the deployment's default settings. The simulator counts every DescribeStacks
 * call it answers, and its clock gives the run's makespan. CloudFormation's update of a stack takes the spec's
 * duration, then a tenth of it in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS. Handler compute is not scaled, so each
 * handler's real time counts time-scale times in the simulated makespan (a cold JVM's first calls take a few real
 * seconds, more on a busy machine): the makespans compared here leave the handlers' own time out.
 */
class StatusCheckTimingEndToEndTest {
    private static final String SECRET = "prod/api-token";

    /**
     * @param makespanSeconds the simulated makespan, less the handlers' own compute, which is not scaled and counts
     *                        time-scale times (one stack: no two handlers run at once): what the workflow waited
     */
    private record Run(LocalRotation rotation, double makespanSeconds) {}

    private static Run rotateOneStack(double timeScale, Duration update) {
        try (LocalEnvironment env = new LocalEnvironment(timeScale, new InputRules.Defaults(DeploymentSettings.DEFAULTS))) {
            String secretArn = env.secrets.createSecret(SECRET, "s3cr3t-value-one");
            env.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating(SECRET), Map.of(), List.of(),
                    null, null, null, update, null));
            String version = env.secrets.putSecretValue(SECRET, "s3cr3t-value-two", null);
            Instant start = env.clock.now();
            LocalRotation run = LocalRotation.run(env, new RotationRequest(null, secretArn, version, null, null, null,
                    null), version, ProgressListener.NONE);
            double makespan = Duration.between(start, env.clock.now()).toMillis() / 1000.0
                    - timeScale * env.lambdas.handlerMillis() / 1000.0;
            assertThat(run.report().counts()).as(run.execution().cause()).containsEntry(Outcome.ROTATED, 1);
            assertThat(run.problems()).isEmpty();
            return new Run(run, makespan);
        }
    }

    @Test
    void aTenMinuteUpdateIsSeenWithFarFewerDescribeStacksCallsThanFixedPolling() {
        Run run = rotateOneStack(30, Duration.ofMinutes(10));

        // each phase settles after 660 s: fixed 20 s polling checks 33 times a phase, 66 in all (plus Find Stacks'
        // listing and Update Stack's reads); phase 1 backs off geometrically, phase 2 expects phase 1's duration
        long describes = run.rotation().apiCalls().getOrDefault("DescribeStacks", 0L);
        assertThat(describes).as("DescribeStacks calls for one stack").isLessThanOrEqualTo(30);
        assertThat(run.makespanSeconds()).as("two phases of 660 s, each seen at most a quarter late")
                .isLessThan(2 * 660 * 1.25);
    }

    @Test
    void aShortUpdateIsSeenWithinSecondsOfFinishing() {
        Run run = rotateOneStack(2, Duration.ofSeconds(22));

        // each phase settles after 24.2 s; fixed 20 s polling sees it at 40 s, 80 s for both phases
        assertThat(run.makespanSeconds()).as("two phases of 24.2 s, each seen within the floor of its end, plus the"
                        + " local interpreter's own time").isLessThan(2 * (24.2 + CheckSchedule.FLOOR_SECONDS) + 10);
    }
}
