package io.tokenrotator.cli;

import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.LocalRotation;
import io.tokenrotator.cli.local.ProgressListener;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.contract.RunSettings;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: whatever the fleet, faults, rate limits and concurrency, after a run every found stack is reported
 * exactly once, no stack is left at RotateToken=false unreported, every ROTATED stack runs on the new secret
 * version, and no secret value shows up in any output or log line ({@link io.tokenrotator.cli.local.RunVerifier}).
 * Each seed draws one random world; a failure names its seed, so it can be replayed.
 */
class RandomFleetPropertyTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13})
    void everyRunEndsVerifiablyWhateverTheFleetAndFaults(long seed) {
        Random r = new Random(seed);
        int stacks = 5 + r.nextInt(16);
        int updateSeconds = 20 + r.nextInt(70);
        FleetSpec spec = new FleetSpec(stacks, seed, Duration.ofSeconds(updateSeconds),
                Duration.ofSeconds(r.nextInt(updateSeconds / 2)), rate(r), rate(r), rate(r), rate(r), rate(r),
                rate(r), rate(r), r.nextDouble() * 0.5, r.nextDouble() * 0.5, r.nextInt(4),
                new FleetSpec.Kinds(rate(r), rate(r), rate(r), rate(r), rate(r), rate(r)));
        RunSettings settings = new RunSettings(1 + r.nextInt(15), 10 + r.nextInt(30), 200, r.nextInt(3),
                10 + r.nextInt(60));
        try (LocalEnvironment env = new LocalEnvironment(60, new InputRules.Defaults(null, null, null, settings))) {
            Fleet.Built fleet = Fleet.build(spec, env.cloudFormation, env.secrets);
            if (r.nextBoolean()) {
                env.simulator.limit("UpdateStack", 0.2 + r.nextDouble() * 3, 1 + r.nextInt(3));
                env.simulator.limit("DescribeStacks", 1 + r.nextDouble() * 10, 1 + r.nextInt(5));
            }

            LocalRotation run = LocalRotation.run(env, new RotationRequest(null, fleet.secretArn(),
                    fleet.newVersionId(), null, null, null, null), fleet.newVersionId(), ProgressListener.NONE);

            String context = "seed " + seed + ", " + spec + ", " + settings + ", faults " + fleet.faults();
            assertThat(run.problems()).as(context).isEmpty();
            assertThat(run.report()).as(context).isNotNull();
            int problems = run.report().counts().get(Outcome.FAILED) + run.report().counts().get(Outcome.NEEDS_ATTENTION);
            assertThat(run.execution().status()).as(context).isEqualTo(problems > 0 ? "FAILED" : "SUCCEEDED");
            assertThat(run.report().counts().values().stream().mapToInt(Integer::intValue).sum()).as(context)
                    .isEqualTo(run.plan().toRotate().size() + run.plan().skipped().size());
        }
    }

    private static double rate(Random r) {
        return r.nextDouble() < 0.5 ? 0 : r.nextDouble() * 0.15;
    }
}
