package io.tokenrotator.cli;

import io.tokenrotator.cli.local.RandomWorld;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: whatever the fleet, faults, rate limits, settings and failures during the run, every run ends
 * verifiably ({@link RandomWorld}: nothing left at RotateToken=false unreported, every ROTATED stack on the new
 * secret version or a newer one, one report line per found stack, no secret value in any output or log). About a
 * third of the worlds manage their secret as a credential and run the credential lifecycle instead (with a second
 * key already there, an outside user of the old key, lost answers of a lifecycle function), checked for its own
 * invariants: no consumer ever on an inactive or deleted key, at most two keys, the old key retired only when the
 * cycle says so and kept active when it stopped. Twenty seeds here (eight of them lifecycle worlds);
 * {@code ./token-rotator soak --worlds 500} runs more. A failure names its seed, to replay it. Time runs 120x: the
 * invariants must hold whatever the timing, and a faster clock stretches each handler's compute over more
 * simulated time (Task timeouts count real seconds, so it times nothing out): 147 s for the twenty here.
 */
class RandomFleetPropertyTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRunEndsVerifiablyWhateverTheFleetAndFaults(long seed) {
        RandomWorld world = RandomWorld.draw(seed);
        assertThat(world.run(120)).as(world.toString()).isEmpty();
    }
}
