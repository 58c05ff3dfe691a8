package io.tokenrotator.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./token-rotator simulate} as shipped: its default fleet holds every kind of consumer (CDK, SAM, large
 * LanguageExtensions, SSM AMI, UPDATE_FAILED, nested under a plain root) with the IAM the functions really have,
 * and the run still verifies against the simulator.
 */
class RealisticFleetEndToEndTest {
    @Test
    void theDefaultSimulationVerifies() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = TokenRotatorCli.commandLine().execute("simulate", "--stacks", "60", "--seed", "7");
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);

        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("Verified against the simulator").doesNotContain("AccessDenied");
    }
}
