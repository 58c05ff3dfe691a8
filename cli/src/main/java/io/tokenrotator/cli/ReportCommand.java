package io.tokenrotator.cli;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.cli.OperatorErrors.OperatorException;
import io.tokenrotator.cli.ops.CredentialCycles;
import io.tokenrotator.cli.ops.RotationExecutions;
import io.tokenrotator.cli.ops.RunOverview;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.store.S3RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ./token-rotator report EXECUTION_ARN}: the per-stack report of a running or finished rotation; for a
 * credential lifecycle execution, or with {@code --credential SECRET}, the credential's latest cycle.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Prints the per-stack report of a running or finished rotation.",
                "For a credential lifecycle execution, or with --credential SECRET: each stage of the credential's"
                        + " latest cycle with its time, its access keys and their state now, the rotation, the"
                        + " blocking stacks and the message."})
final class ReportCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws = new AwsOptions();
    @Parameters(paramLabel = "EXECUTION_ARN", arity = "0..1",
            description = "The execution (from 'start' or the console).")
    String executionArn;
    @Option(names = "--credential", paramLabel = "SECRET", description = "Report this managed secret's latest cycle.")
    String credential;
    @Option(names = "--stack-name", defaultValue = "TokenRotator",
            description = "The deployed stack whose run bucket holds the cycle records (default ${DEFAULT-VALUE}).")
    String stackName;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        AwsClients clients = aws.clients();
        if (credential != null || (executionArn != null && CredentialCycles.isLifecycleExecution(executionArn))) {
            return reportCycle(CredentialCycles.of(clients), System.out);
        }
        if (executionArn == null) {
            throw new InvalidInputException("EXECUTION_ARN", "missing: give an execution ARN, or --credential SECRET");
        }
        RunOverview overview = new RotationExecutions(clients.stepFunctions(), clients.cloudFormation(),
                bucket -> new S3RunStore(clients.s3(), bucket)).overview(executionArn);
        if (json) {
            System.out.println(Json.write(overview));
        } else {
            print(overview, System.out);
        }
        return 0;
    }

    /** A lifecycle execution's end (when given) and its credential's latest cycle from the record and IAM. */
    int reportCycle(CredentialCycles cycles, PrintStream out) {
        CredentialCycles.Execution execution = executionArn == null ? null : cycles.execution(executionArn);
        String secretId = credential != null ? credential : secretIdOf(execution);
        SecretsPort.SecretDescription secret = cycles.secret(credential != null ? "--credential" : "EXECUTION_ARN",
                secretId);
        String bucket = Optional.ofNullable(cycles.outputs(stackName).get(CredentialCycles.BUCKET_OUTPUT))
                .orElseThrow(() -> new OperatorException("stack " + stackName + " has no "
                        + CredentialCycles.BUCKET_OUTPUT + " output. Fix: pass the --stack-name Token Rotator is"
                        + " deployed as"));
        Optional<CredentialCycles.CycleReport> report = cycles.report(bucket, secret.name());
        if (json) {
            out.println(Json.write(report.orElse(null)));
            return 0;
        }
        if (execution != null) {
            String recordedStage = report.map(CredentialCycles.CycleReport::cycle)
                    .filter(c -> executionArn.equals(c.executionId())).map(c -> c.stage().name()).orElse(null);
            StartCommand.printCycleEnd(execution, recordedStage, out);
            out.println();
        }
        if (report.isEmpty()) {
            out.println("No cycle recorded for " + secret.name() + " (s3://" + bucket + "/credentials/" + secret.name()
                    + "/record.json): none has begun yet; a dry run records nothing.");
        } else {
            CycleReportTable.print(report.get(), out);
        }
        return 0;
    }

    private static String secretIdOf(CredentialCycles.Execution execution) {
        try {
            String id = Json.MAPPER.readTree(execution.input()).path("secretId").asText("");
            if (id.isEmpty()) {
                throw new OperatorException("execution " + execution.name() + " has no secretId in its input");
            }
            return id;
        } catch (IOException e) {
            throw new OperatorException("execution " + execution.name() + " has no JSON input");
        }
    }

    static void print(RunOverview o, PrintStream out) {
        out.printf("Execution %s: %s%s%n", o.executionName(), o.status(),
                o.stacksTotal() > 0 && o.dryRunPlan() == null
                        ? " (" + o.stacksDone() + "/" + o.stacksTotal() + " stacks done)" : "");
        if (o.dryRunPlan() != null) {
            out.println(o.dryRunPlan());
        }
        if (o.error() != null) {
            out.println("Error: " + o.error());
        }
        if (o.report() == null) {
            if (o.cause() != null) {
                out.println("Cause: " + o.cause());
            }
            return;
        }
        if (!o.finalReport()) {
            out.println("Still running: stacks without a result yet are not listed.");
        }
        out.println();
        ReportTable.print(o.report(), out, true);
    }
}
