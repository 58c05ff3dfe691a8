package io.tokenrotator.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What CI can run of the acceptance command: no AWS credentials, no network. */
class AcceptanceCommandTest {
    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void captureStdout() {
        originalOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.clearProperty("aws.sharedCredentialsFile");
        System.clearProperty("aws.configFile");
    }

    private int run(String... args) {
        CommandLine cmd = AcceptanceCommand.commandLine(new AcceptanceCommand());
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long synthesisDirectories() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("tr-accept-")).count();
        }
    }

    @Test
    void dryRunPrintsThePlanAndSynthesizesWithoutCredentials() throws IOException {
        long before = synthesisDirectories();

        int exit = run("--dry-run", "--create-trail");

        assertThat(exit).as(err.toString()).isZero();
        String plan = stdout();
        assertThat(plan).contains("dry run: nothing is created")
                .containsPattern("secret +tr-accept-[0-9a-f]{8}/token +CreateSecret; a random value")
                .containsPattern("stack +tr-accept-[0-9a-f]{8}-base +CreateStack, CAPABILITY_IAM")
                .containsPattern("stack +tr-accept-[0-9a-f]{8}-rotator +node_modules/.bin/cdk deploy of infra-cdk's app"
                        + " with cdk.json's context and stackName=tr-accept-[0-9a-f]{8}-rotator"
                        + " secrets=\\[tr-accept-[0-9a-f]{8}/token] stackNamePrefix=tr-accept-[0-9a-f]{8}- createTrail=true")
                .containsPattern("stack +tr-accept-[0-9a-f]{8}-cdk +CreateStack with the service role, capabilities none:"
                        + " CDK-made \\(BootstrapVersion SSM parameter\\)")
                .containsPattern("stack +tr-accept-[0-9a-f]{8}-sam +CreateStack with the service role, capabilities"
                        + " CAPABILITY_AUTO_EXPAND")
                .containsPattern("stack +tr-accept-[0-9a-f]{8}-iam +CreateStack with the service role, capabilities"
                        + " CAPABILITY_IAM")
                .contains("wait up to 15 min 00 s for the trigger").contains("up to 45 min 00 s for it to end")
                .contains("Checks: the execution SUCCEEDED").contains("ForceDeleteWithoutRecovery")
                .contains("Synthesized without errors: the Token Rotator cloud assembly");
        assertThat(err.toString()).isEmpty();
        assertThat(synthesisDirectories()).as("the synthesized files are deleted").isEqualTo(before);
    }

    @Test
    void withoutCredentialsItStopsWithOneLineBeforeCreatingAnything(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "");
        System.setProperty("aws.sharedCredentialsFile", empty.toString());
        System.setProperty("aws.configFile", empty.toString());

        int exit = run("--profile", "tr-accept-no-such-profile", "--region", "eu-west-1");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("token-rotator: no AWS credentials found. Fix: run 'aws configure' or"
                + " 'aws sso login', or pass --profile" + System.lineSeparator());
        assertThat(stdout()).isEmpty();
    }

    @Test
    void badOptionsGetOneLineNamingTheOptionAndItsRange() {
        assertThat(run("--trigger-timeout-minutes", "0", "--dry-run")).isEqualTo(2);
        assertThat(run("--run-timeout-minutes", "241", "--dry-run")).isEqualTo(2);
        assertThat(run("--cleanup", "../etc")).isEqualTo(2);

        assertThat(err.toString().lines().toList()).containsExactly(
                "token-rotator acceptance: --trigger-timeout-minutes: must be from 1 to 60, got 0",
                "token-rotator acceptance: --run-timeout-minutes: must be from 5 to 240, got 241",
                "token-rotator acceptance: --cleanup: run id: expected 8 lowercase hex digits (as printed by a run),"
                        + " got '../etc'");
        assertThat(stdout()).isEmpty();
    }
}
