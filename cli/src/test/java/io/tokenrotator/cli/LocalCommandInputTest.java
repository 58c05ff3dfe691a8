package io.tokenrotator.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code simulate} and {@code bench} refuse bad option values before anything starts: one line on stderr,
 * {@code token-rotator: --flag: <what is wrong>; <accepted range>}, exit code 2 (picocli's usage error), no stack
 * trace, and no local environment (simulator, Lambda server, Node process) created.
 */
class LocalCommandInputTest {
    private static final int USAGE_ERROR = 2;
    private final List<Double> environmentsOpened = new ArrayList<>();
    private final List<io.tokenrotator.contract.RunSettings> settingsGiven = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    /** Runs the CLI with an environment factory that records the call and stops there: nothing real starts. */
    private int run(String... args) {
        CommandLine cli = TokenRotatorCli.commandLine((timeScale, defaults) -> {
            environmentsOpened.add(timeScale);
            settingsGiven.add(defaults.settings().runSettings());
            throw new OperatorErrors.OperatorException("stopped by the test before the run");
        });
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private void assertRefused(String expectedLine, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        int exit = run(args);
        assertThat(err.toString()).as(String.join(" ", args)).isEqualTo(expectedLine + System.lineSeparator());
        assertThat(exit).as(String.join(" ", args)).isEqualTo(USAGE_ERROR);
        assertThat(out.toString()).isEmpty();
        assertThat(environmentsOpened).as("local environments opened").isEmpty();
    }

    @Test
    void simulateRefusesOutOfRangeNumbers() {
        assertRefused("token-rotator: --stacks: -1 is out of range; expected a whole number from 1 to 100000",
                "simulate", "--stacks", "-1");
        assertRefused("token-rotator: --stacks: \"lots\" is not a whole number; expected a whole number from 1 to"
                + " 100000", "simulate", "--stacks", "lots");
        assertRefused("token-rotator: --stacks: 2.5 is not a whole number; expected a whole number from 1 to 100000",
                "simulate", "--stacks", "2.5");
        assertRefused("token-rotator: --max-concurrency: 0 is out of range; expected a whole number from 1 to 10000",
                "simulate", "--max-concurrency", "0");
        assertRefused("token-rotator: --update-seconds: 0 is out of range; expected a whole number from 1 to 86400",
                "simulate", "--update-seconds", "0");
        assertRefused("token-rotator: --seed: \"x\" is not a whole number; expected a whole number from"
                + " -9223372036854775808 to 9223372036854775807", "simulate", "--seed", "x");
    }

    @Test
    void simulateRefusesATimeScaleOfZeroAndNaNAnywhereANumberGoes() {
        assertRefused("token-rotator: --time-scale: 0 is out of range; expected a number above 0 and at most 1000",
                "simulate", "--time-scale", "0");
        assertRefused("token-rotator: --time-scale: \"NaN\" is not a number; expected a number above 0 and at most"
                + " 1000", "simulate", "--time-scale", "NaN");
        assertRefused("token-rotator: --time-scale: \"Infinity\" is not a number; expected a number above 0 and at"
                + " most 1000", "simulate", "--time-scale", "Infinity");
        assertRefused("token-rotator: --phase1-failures: \"NaN\" is not a number; expected a fraction from 0 to 1",
                "simulate", "--phase1-failures", "NaN");
        assertRefused("token-rotator: --rate-limit: \"NaN\" is not a number; expected calls per second above 0 and"
                + " at most 10000", "simulate", "--rate-limit", "UpdateStack=NaN");
        assertRefused("token-rotator: --stacks: \"NaN\" is not a whole number; expected a whole number from 1 to"
                + " 100000", "simulate", "--stacks", "NaN");
        for (String fraction : List.of("--phase1-failures", "--phase2-transient", "--phase2-permanent", "--busy",
                "--left-at-false", "--nested", "--not-updatable", "--with-capabilities", "--language-extensions")) {
            assertRefused("token-rotator: " + fraction + ": \"NaN\" is not a number; expected a fraction from 0 to 1",
                    "simulate", fraction, "NaN");
        }
        Map<String, String> wholeNumbers = Map.of("--max-concurrency", "1 to 10000", "--update-seconds", "1 to 86400",
                "--update-spread-seconds", "0 to 86399", "--seed", Long.MIN_VALUE + " to " + Long.MAX_VALUE);
        wholeNumbers.forEach((option, range) -> assertRefused("token-rotator: " + option + ": \"NaN\" is not a whole"
                + " number; expected a whole number from " + range, "simulate", option, "NaN"));
    }

    @Test
    void simulateRefusesFaultFractionsOutsideZeroToOneOrAddingUpToMoreThanTheFleet() {
        assertRefused("token-rotator: --busy: 1.5 is out of range; expected a fraction from 0 to 1",
                "simulate", "--busy", "1.5");
        assertRefused("token-rotator: --nested: -0.1 is out of range; expected a fraction from 0 to 1",
                "simulate", "--nested", "-0.1");
        assertRefused("token-rotator: --with-capabilities: 2 is out of range; expected a fraction from 0 to 1",
                "simulate", "--with-capabilities", "2");
        assertRefused("token-rotator: --phase1-failures, --phase2-transient, --phase2-permanent, --busy,"
                + " --left-at-false, --nested, --not-updatable: add up to 1.34; expected fractions that add up to at"
                + " most 1 (each stack carries at most one of these faults)",
                "simulate", "--phase1-failures", "0.5", "--phase2-transient", "0.4", "--busy", "0.3");
        assertRefused("token-rotator: --update-spread-seconds: 60 is not below --update-seconds (60); expected a"
                + " whole number from 0 to 59", "simulate", "--update-spread-seconds", "60");
    }

    @Test
    void simulateRefusesRateLimitsForOperationsItDoesNotServeAndRatesOfZeroOrLess() {
        assertRefused("token-rotator: --rate-limit: \"Foo\" is not an operation the simulator serves; expected one of"
                + " DescribeStacks, GetStackPolicy, GetTemplate, UpdateStack", "simulate", "--rate-limit", "Foo=1");
        assertRefused("token-rotator: --rate-limit: 0 is out of range; expected calls per second above 0 and at"
                + " most 10000", "simulate", "--rate-limit", "UpdateStack=0");
        assertRefused("token-rotator: --rate-limit: -2 is out of range; expected calls per second above 0 and at"
                + " most 10000", "simulate", "--rate-limit", "UpdateStack=-2");
    }

    @Test
    void simulateChecksThatTheJsonFileCanBeWrittenBeforeStarting() throws IOException {
        Path missingDirectory = dir.resolve("no-such-dir").resolve("report.json");
        assertRefused("token-rotator: --json: directory \"" + missingDirectory.getParent() + "\" does not exist;"
                + " expected a file in an existing, writable directory", "simulate", "--json", missingDirectory.toString());
        assertRefused("token-rotator: --json: \"" + dir + "\" is a directory; expected a file in an existing,"
                + " writable directory", "simulate", "--json", dir.toString());
        Path underAFile = Files.writeString(dir.resolve("a-file"), "x").resolve("report.json");
        assertRefused("token-rotator: --json: directory \"" + underAFile.getParent() + "\" does not exist;"
                + " expected a file in an existing, writable directory", "simulate", "--json", underAFile.toString());
    }

    @Test
    void benchRefusesBadValuesTheSameWay() {
        assertRefused("token-rotator: --stacks: -5 is out of range; expected a whole number from 1 to 100000",
                "bench", "--stacks", "100,-5");
        assertRefused("token-rotator: --time-scale: 0 is out of range; expected a number above 0 and at most 1000",
                "bench", "--time-scale", "0");
        assertRefused("token-rotator: --update-rate: 0 is out of range; expected calls per second above 0 and at"
                + " most 10000", "bench", "--update-rate", "0");
        assertRefused("token-rotator: --describe-rate: \"NaN\" is not a number; expected calls per second above 0"
                + " and at most 10000", "bench", "--describe-rate", "NaN");
        assertRefused("token-rotator: --max-concurrency: 0 is out of range; expected a whole number from 1 to 10000",
                "bench", "--max-concurrency", "0");
        assertRefused("token-rotator: --poll-seconds: 0 is out of range; expected a whole number from 1 to 3600",
                "bench", "--poll-seconds", "0");
    }

    @Test
    void otherUsageErrorsAreOneLineWithExitCodeTwoToo() {
        assertRefused("token-rotator: Unknown options: '--stack', '5'; did you mean --stacks? See 'token-rotator"
                + " simulate --help'",
                "simulate", "--stack", "5");
        assertRefused("token-rotator: Missing required parameter for option '--time-scale' (<timeScale>); see"
                + " 'token-rotator bench --help'", "bench", "--time-scale");
    }

    @Test
    void goodValuesReachTheRunWithTheirTimeScale() {
        Path json = dir.resolve("report.json");
        int exit = run("simulate", "--stacks", "3", "--time-scale", "600", "--max-concurrency", "10000",
                "--phase1-failures", "1", "--phase2-transient", "0", "--phase2-permanent", "0", "--busy", "0",
                "--left-at-false", "0", "--nested", "0", "--not-updatable", "0",
                "--rate-limit", "GetTemplate=0.5", "--json", json.toString());

        assertThat(environmentsOpened).containsExactly(600.0);
        assertThat(err.toString()).isEqualTo("token-rotator: stopped by the test before the run" + System.lineSeparator());
        assertThat(exit).isEqualTo(1);
        assertThat(json).doesNotExist(); // checked, not created

        assertThat(run("bench", "--stacks", "1", "--time-scale", "0.5")).isEqualTo(1);
        assertThat(environmentsOpened).containsExactly(600.0, 0.5);
    }

    @Test
    void benchKeepsTheDeploymentsWaitingTimePerPhaseWhateverThePollInterval() {
        run("bench", "--stacks", "1", "--poll-seconds", "40");
        run("simulate", "--stacks", "3", "--max-concurrency", "7");

        io.tokenrotator.contract.RunSettings bench = settingsGiven.get(0);
        assertThat(bench.pollSeconds()).isEqualTo(40);
        assertThat(bench.maxWaitMinutesPerPhase()).as("not 3 hours: 180 checks of 40 s")
                .isEqualTo(io.tokenrotator.settings.DeploymentSettings.DEFAULTS.runSettings().maxWaitMinutesPerPhase());
        assertThat(settingsGiven.get(1)).isEqualTo(io.tokenrotator.settings.DeploymentSettings.DEFAULTS.runSettings().withMaxConcurrency(7));
    }

    @Test
    void aPollIntervalThatCouldOverflowTheHistoryIsRefusedNamingTheOption() {
        // 1-second polls for the default 60 minutes a phase: 3,600 checks a phase
        assertThat(run("bench", "--stacks", "1", "--poll-seconds", "1")).isEqualTo(USAGE_ERROR);
        assertThat(err.toString()).startsWith("token-rotator: --poll-seconds, maxWaitMinutes and restoreAttempts:"
                + " --poll-seconds 1 s with maxWaitMinutes 60 min allow 3600 status checks per phase").contains("25000")
                .hasLineCount(1);
        assertThat(environmentsOpened).isEmpty();
    }
}
