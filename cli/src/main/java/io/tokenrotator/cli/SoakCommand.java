package io.tokenrotator.cli;

import io.tokenrotator.cli.local.RandomWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./token-rotator soak}: many random worlds through the real workflow, each checked like the property test. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Rotates many random simulated worlds (fleets, faults, rate limits, settings, lost Lambda"
                + " answers, stacks deleted and secrets changed mid-run) through the real workflow and checks the"
                + " invariants after each. Prints the seed of every world that breaks one; exits 1 if any does."})
final class SoakCommand implements Callable<Integer> {
    @Option(names = "--worlds", defaultValue = "200", description = "How many worlds (default ${DEFAULT-VALUE}).")
    int worlds;
    @Option(names = "--first-seed", defaultValue = "1", description = "Seed of the first world; the next ones follow"
            + " (default ${DEFAULT-VALUE}). Replay one world with --first-seed S --worlds 1.")
    long firstSeed;
    @Option(names = "--time-scale", defaultValue = "60", description = "Simulated seconds per real second (default ${DEFAULT-VALUE}).")
    double timeScale;

    @Override
    public Integer call() {
        if (worlds < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--worlds: must be at least 1, got " + worlds);
        }
        if (!(timeScale >= 1 && timeScale <= 600)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--time-scale: must be a number from 1 to 600, got " + timeScale);
        }
        PrintStream out = System.out;
        List<Long> failed = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + worlds; seed++) {
            RandomWorld world = RandomWorld.draw(seed);
            List<String> broken = world.run(timeScale);
            if (broken.isEmpty()) {
                out.printf("seed %d: ok (%d stacks)%n", seed, world.spec().stacks());
            } else {
                failed.add(seed);
                out.printf("seed %d: FAILED (%s)%n", seed, world);
                broken.forEach(b -> out.println("  - " + b));
            }
        }
        out.printf("%nsoak: %d passed, %d failed%n", worlds - failed.size(), failed.size());
        if (!failed.isEmpty()) {
            out.println("Failing seeds: " + failed + " (replay one with --first-seed S --worlds 1)");
        }
        return failed.isEmpty() ? 0 : 1;
    }
}
