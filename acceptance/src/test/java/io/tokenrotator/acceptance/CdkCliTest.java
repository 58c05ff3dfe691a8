package io.tokenrotator.acceptance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CDK CLI is called as the README documents, from a directory without cdk.json; a fake CLI records it. */
class CdkCliTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private static Path fakeCdk(Path dir, int exit) throws IOException {
        Path script = dir.resolve("cdk");
        Files.writeString(script, """
                #!/usr/bin/env bash
                echo "args: $*"
                echo "cwd: $PWD"
                echo "region: $AWS_REGION $AWS_DEFAULT_REGION"
                echo "quiet: $CDK_DISABLE_VERSION_CHECK $CDK_DISABLE_CLI_TELEMETRY"
                echo "to stderr" >&2
                exit %d
                """.formatted(exit));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void deploysTheAssemblyWithoutApprovalPromptsInTheRunsRegion(@TempDir Path dir) throws IOException {
        Path assembly = Files.createDirectories(dir.resolve("run/cdk.out"));
        new CdkCli(fakeCdk(dir, 0), "eu-west-1", "sandbox", new PrintStream(log, true, StandardCharsets.UTF_8))
                .deploy(assembly, "tr-accept-0123abcd-rotator");

        assertThat(log.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "  cdk | args: deploy tr-accept-0123abcd-rotator --app " + assembly + " --require-approval never"
                        + " --no-notices --progress events --profile sandbox",
                "  cdk | cwd: " + dir.resolve("run"),
                "  cdk | region: eu-west-1 eu-west-1",
                "  cdk | quiet: true true",
                "  cdk | to stderr");
        assertThat(dir.resolve("run/cdk.json")).doesNotExist();
    }

    @Test
    void aFailedDeployFailsTheStep(@TempDir Path dir) throws IOException {
        Path assembly = Files.createDirectories(dir.resolve("cdk.out"));
        CdkCli cdk = new CdkCli(fakeCdk(dir, 1), "eu-west-1", null, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThatThrownBy(() -> cdk.deploy(assembly, "tr-accept-0123abcd-rotator"))
                .hasMessage("cdk deploy tr-accept-0123abcd-rotator exited with code 1 (its output is above, lines"
                        + " marked 'cdk |')");
    }

    @Test
    void aMissingCliSaysHowToInstallIt(@TempDir Path dir) {
        CdkCli cdk = new CdkCli(dir.resolve("node_modules/.bin/cdk"), "eu-west-1", null, System.err);

        assertThatThrownBy(() -> cdk.deploy(dir, "s")).hasMessageContaining("run 'npm ci' at the repository root");
    }
}
