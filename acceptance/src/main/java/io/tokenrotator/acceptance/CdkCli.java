package io.tokenrotator.acceptance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deploys Token Rotator with the pinned CDK CLI ({@code node_modules/.bin/cdk}, package.json): the stack has a Lambda
 * jar asset, which the CLI publishes to the CDK bootstrap bucket before it deploys; doing that by hand would
 * re-implement the CLI. The CLI runs in the cloud assembly's parent directory, where no cdk.json is: cdk.json's
 * {@code build} step (a Maven build) runs even when {@code --app} is a synthesized assembly.
 */
public final class CdkCli implements RotatorDeployer {
    private final Path executable;
    private final String region;
    private final String profile;
    private final PrintStream log;

    /**
     * @param executable the CDK CLI, normally {@code <repository>/node_modules/.bin/cdk}
     * @param region     the region every other call of the run uses
     * @param profile    the named profile, or null for the default credential chain
     * @param log        where the CLI's output goes (stderr: stdout is for the run's report)
     */
    public CdkCli(Path executable, String region, String profile, PrintStream log) {
        this.executable = executable;
        this.region = region;
        this.profile = profile;
        this.log = log;
    }

    @Override
    public void deploy(Path cloudAssembly, String stackName) {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("the CDK CLI " + executable + " is missing: run 'npm ci' at the"
                    + " repository root (it installs the version pinned in package.json)");
        }
        List<String> command = new ArrayList<>(List.of(executable.toString(), "deploy", stackName,
                "--app", cloudAssembly.toAbsolutePath().toString(), "--require-approval", "never",
                "--no-notices", "--progress", "events"));
        if (profile != null) {
            command.addAll(List.of("--profile", profile));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(cloudAssembly.toAbsolutePath().getParent().toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("CDK_DISABLE_VERSION_CHECK", "true");
        env.put("CDK_DISABLE_CLI_TELEMETRY", "true"); // as cdk.json's "cli-telemetry": false
        int exit;
        try {
            Process process = builder.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                out.lines().forEach(line -> log.println("  cdk | " + line));
            }
            exit = process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + executable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while cdk deploy was running", e);
        }
        if (exit != 0) {
            throw new IllegalStateException("cdk deploy " + stackName + " exited with code " + exit
                    + " (its output is above, lines marked 'cdk |')");
        }
    }
}
