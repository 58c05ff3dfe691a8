package io.tokenrotator.acceptance;

import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;

/** What a run will create, check and delete: printed by {@code --dry-run} and at the start of every run. */
public final class AcceptancePlan {
    private AcceptancePlan() {}

    public static void print(RunNames names, AcceptanceRun.Options options, String where, PrintStream out) {
        Map<String, Object> context = RotatorApp.acceptanceContext(names, options.createTrail());
        out.println("Acceptance run " + names.runId() + " in " + where);
        out.println();
        out.println("Creates:");
        row(out, "secret", names.secretName(), "CreateSecret; a random value made in memory, never shown or logged");
        row(out, "stack", names.baseStack(), "CreateStack, CAPABILITY_IAM: the consumers' CloudFormation service role"
                + " (GetSecretValue on this secret only) and their functions' execution role");
        row(out, "stack", names.rotatorStack(), "node_modules/.bin/cdk deploy of infra-cdk's app with cdk.json's"
                + " context and " + context.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
        for (Consumer c : Consumer.values()) {
            row(out, "stack", names.consumerStack(c), "CreateStack with the service role, capabilities "
                    + (c.capabilities().isEmpty() ? "none" : String.join(",", c.capabilities())) + ": " + c.kind()
                    + "; gated: " + String.join(", ", c.gatedResources()) + " (a Lambda function, never invoked)");
        }
        out.println();
        out.println("Then: PutSecretValue with a new random value; wait up to "
                + Durations.text(options.triggerTimeout()) + " for the trigger to start the execution named after the"
                + " secret and the new version (as Start Rotation names it), and up to " + Durations.text(options.runTimeout()) + " for it to end.");
        out.println("Checks: the execution SUCCEEDED; its report has the " + Consumer.values().length
                + " consumers ROTATED and touched no other stack (other stacks may only be SKIPPED); each consumer is UPDATE_COMPLETE at RotateToken=true;"
                + " its gated function has a new physical id and CloudFormation started creating it after the new"
                + " version was created (so it resolved the new value; no secret value is read).");
        out.println("Cleanup, also after a failure" + (options.keep() ? " (skipped: --keep)" : "") + ": DeleteStack of"
                + " the consumers and of " + names.rotatorStack() + ", then of " + names.baseStack() + "; its retained"
                + " buckets (" + names.prefix() + "*) emptied and deleted; DeleteSecret with ForceDeleteWithoutRecovery."
                + " After an interrupted run: acceptance/run --cleanup " + names.runId());
    }

    private static void row(PrintStream out, String kind, String name, String what) {
        out.printf("  %-6s %-26s %s%n", kind, name, what);
    }
}
