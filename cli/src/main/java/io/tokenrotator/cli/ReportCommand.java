package io.tokenrotator.cli;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.cli.ops.RotationExecutions;
import io.tokenrotator.cli.ops.RunOverview;
import io.tokenrotator.json.Json;
import io.tokenrotator.store.S3RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code ./token-rotator report EXECUTION_ARN}: the per-stack report of a running or finished execution. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Prints the per-stack report of a running or finished rotation.")
final class ReportCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws = new AwsOptions();
    @Parameters(paramLabel = "EXECUTION_ARN", description = "The execution (from 'start' or the console).")
    String executionArn;
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        AwsClients clients = aws.clients();
        RunOverview overview = new RotationExecutions(clients.stepFunctions(), clients.cloudFormation(),
                bucket -> new S3RunStore(clients.s3(), bucket)).overview(executionArn);
        if (json) {
            System.out.println(Json.write(overview));
        } else {
            print(overview, System.out);
        }
        return 0;
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
