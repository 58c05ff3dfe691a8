package io.tokenrotator.cli;

import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.LocalRotation;
import io.tokenrotator.cli.local.ProgressListener;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.settings.Setting;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A budget far above what the account allows (misconfigured): 100 stacks start at once against an UpdateStack limit
 * of one call every 10 seconds, so their 200 updates need 2,000 s of the account's capacity: far longer than the
 * SDK's and a Task's own retries last (about 15 minutes of backoff), so only the phase's loop gets them through (the
 * workflow before that loop lost 32 of the 100 here). Time runs 40x: Task timeouts count real seconds locally, so 100
 * concurrent handlers on a shared 2-core machine do not time out. Throttling changed nothing, so it must never
 * decide an outcome while the stack's time budget lasts: every stack ends ROTATED.
 */
class ThrottlingStormEndToEndTest {
    private static final int STACKS = 100;

    @Test
    void aThrottlingStormCostsNoStackItsRotation() {
        DeploymentSettings settings = DeploymentSettings.of(Map.of(Setting.MAX_CONCURRENCY, STACKS,
                Setting.UPDATE_STACK_RATE, 100));
        try (LocalEnvironment env = new LocalEnvironment(40, new InputRules.Defaults(settings))) {
            Fleet.Built fleet = Fleet.build(FleetSpec.healthy(STACKS, 11, Duration.ofSeconds(60)), env.cloudFormation,
                    env.secrets);
            env.simulator.limit("UpdateStack", 0.1, 1);
            env.simulator.limit("DescribeStacks", 20, 20);

            LocalRotation run = LocalRotation.run(env, new RotationRequest(null, fleet.secretArn(),
                    fleet.newVersionId(), null, null, null, null), fleet.newVersionId(), ProgressListener.NONE);

            assertThat(run.report()).as("the run's report; the execution ended " + run.execution().status() + " "
                    + run.execution().error() + ": " + run.execution().cause()).isNotNull();
            assertThat(run.report().counts()).containsEntry(Outcome.ROTATED, STACKS);
            assertThat(run.problems()).isEmpty();
            assertThat(run.throttled().getOrDefault("UpdateStack", 0L)).as("a storm: most calls were throttled")
                    .isGreaterThan(STACKS);
        }
    }
}
