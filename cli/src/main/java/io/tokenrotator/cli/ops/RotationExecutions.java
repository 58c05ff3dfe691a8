package io.tokenrotator.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.aws.SdkExecutionStarter;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.json.Json;
import io.tokenrotator.port.RunStore;
import io.tokenrotator.service.RunResultsService;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operator's view of the deployed workflow: finds its state machine from the CDK stack's outputs, gives the
 * port that starts its executions, and reads back an execution's report from its history, or, while it runs, from
 * the run bucket.
 */
public final class RotationExecutions {
    private final SfnClient sfn;
    private final CloudFormationClient cloudFormation;
    private final Function<String, RunStore> storeForBucket;

    public RotationExecutions(SfnClient sfn, CloudFormationClient cloudFormation, Function<String, RunStore> storeForBucket) {
        this.sfn = sfn;
        this.cloudFormation = cloudFormation;
        this.storeForBucket = storeForBucket;
    }

    /** The state machine ARN from the deployed stack's StateMachineArn output. */
    public Optional<String> stateMachineArn(String stackName) {
        return cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().stream()
                .flatMap(s -> s.outputs().stream()).filter(o -> "StateMachineArn".equals(o.outputKey()))
                .map(Output::outputValue).findFirst();
    }

    /** Starts and looks up executions of that state machine (the port the trigger uses too). */
    public SdkExecutionStarter starter(String stateMachineArn) {
        return new SdkExecutionStarter(sfn, stateMachineArn);
    }

    public RunOverview overview(String executionArn) {
        DescribeExecutionResponse execution = sfn.describeExecution(r -> r.executionArn(executionArn));
        String status = execution.statusAsString();
        JsonNode plan = null;
        JsonNode summary = null;
        for (HistoryEvent e : sfn.getExecutionHistoryPaginator(r -> r.executionArn(executionArn)).events()) {
            if (e.stateExitedEventDetails() != null) {
                String state = e.stateExitedEventDetails().name();
                if ("Find Stacks".equals(state)) {
                    plan = parse(e.stateExitedEventDetails().output());
                } else if ("Summarize Run".equals(state)) {
                    summary = parse(e.stateExitedEventDetails().output());
                }
            }
        }
        if (summary != null) {
            RunReport report = Json.MAPPER.convertValue(summary, RunReport.class);
            int total = report.counts().values().stream().mapToInt(Integer::intValue).sum();
            return new RunOverview(executionArn, execution.name(), status, total, total, report, true, null,
                    execution.error(), execution.cause());
        }
        if (plan == null) {
            return new RunOverview(executionArn, execution.name(), status, 0, 0, null, false, null, execution.error(),
                    execution.cause());
        }
        int total = plan.path("toRotateCount").asInt();
        if (plan.path("dryRun").asBoolean()) {
            // a dry run ends after Find Stacks: the plan is the answer
            List<String> preview = new java.util.ArrayList<>();
            plan.path("toRotatePreview").forEach(n -> preview.add(n.asText()));
            String dryRun = "Dry run: " + total + " stack(s) would rotate, " + plan.path("skippedCount").asInt()
                    + " would be skipped. " + (preview.isEmpty() ? "" : "First: " + String.join(", ", preview) + ". ")
                    + "Full plan: " + plan.path("planLocation").asText();
            return new RunOverview(executionArn, execution.name(), status, 0, total, null, false, dryRun,
                    execution.error(), execution.cause());
        }
        String location = plan.path("planLocation").asText();
        RunStore store = storeForBucket.apply(bucketOf(location));
        Plan stored = store.plan(plan.path("runId").asText());
        List<StackResult> results = store.results(stored.runId());
        RunReport partial = RunResultsService.compile(stored, results, false);
        return new RunOverview(executionArn, execution.name(), status, results.size(), total, partial, false, null,
                execution.error(), execution.cause());
    }

    static String bucketOf(String s3Location) {
        if (!s3Location.startsWith("s3://")) {
            throw new IllegalArgumentException("not an S3 location: " + s3Location);
        }
        return s3Location.substring(5, s3Location.indexOf('/', 5));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
