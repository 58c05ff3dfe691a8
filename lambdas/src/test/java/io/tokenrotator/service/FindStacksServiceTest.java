package io.tokenrotator.service;

import io.tokenrotator.contract.FindStacksInput;
import io.tokenrotator.contract.FindStacksOutput;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.contract.SkipReason;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.store.InMemoryRunStore;
import io.tokenrotator.testing.SimulatedAws;
import io.tokenrotator.simulator.ConsumerTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FindStacksServiceTest {
    private final SimulatedAws aws = new SimulatedAws();
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final FindStacksService service = new FindStacksService(aws.cloudFormationPort(), aws.secretsPort(), store,
            new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)));
    private final String secretArn = aws.secrets.createSecret("prod/api-token", "s3cr3t-value-1");

    @AfterEach
    void close() {
        aws.close();
    }

    private FindStacksOutput find(RotationRequest request) {
        return service.find(new FindStacksInput("run-1", request), InputRules.Defaults.NONE);
    }

    private static RotationRequest request(String secretId, String versionId, String prefix, String selection) {
        return new RotationRequest(null, secretId, versionId, prefix, selection, null, null);
    }

    private void stack(String name, String template) {
        aws.cloudFormation.createStack(new StackSpec(name, template, Map.of()));
    }

    @Test
    void findsEveryStackThatDeclaresTheParameterAcrossAllPages() {
        for (int i = 0; i < 230; i++) {
            stack("app-" + i, ConsumerTemplates.rotating("prod/api-token"));
        }
        for (int i = 0; i < 40; i++) {
            stack("other-" + i, ConsumerTemplates.unrelated());
        }

        FindStacksOutput out = find(RotationRequest.empty());

        assertThat(aws.server.callCounts().get("DescribeStacks")).isEqualTo(3L); // 270 stacks, 100 a page
        assertThat(out.toRotateCount()).isEqualTo(230);
        assertThat(out.items()).hasSize(230).startsWith(0, 1, 2).endsWith(229);
        assertThat(store.plan("run-1").toRotate()).extracting(PlannedStack::stackName)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 230).mapToObj(i -> "app-" + i).toList());
        assertThat(out.skippedCount()).isZero();
        assertThat(out.toRotatePreview()).hasSize(FindStacksOutput.PREVIEW_LIMIT);
    }

    @Test
    void skipsNestedNeverUpdatableAndPrefixMissesEachWithItsReason() {
        stack("team-root", ConsumerTemplates.rotating("prod/api-token"));
        aws.cloudFormation.createStack(new StackSpec("team-root-Nested-1", ConsumerTemplates.rotating("prod/api-token"),
                Map.of(), List.of(), "team-root", null, null, null, null));
        for (String status : List.of("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED", "UPDATE_ROLLBACK_FAILED",
                "REVIEW_IN_PROGRESS")) {
            aws.cloudFormation.createStack(new StackSpec("team-" + status.toLowerCase().replace('_', '-'),
                    ConsumerTemplates.rotating("prod/api-token"), Map.of(), List.of(), null, null, status, null, null));
        }
        stack("team-deleted", ConsumerTemplates.rotating("prod/api-token"));
        aws.cloudFormation.deleteStack("team-deleted");
        stack("other-app", ConsumerTemplates.rotating("prod/api-token"));

        FindStacksOutput out = find(request(null, null, "team-", null));

        assertThat(store.plan("run-1").toRotate()).extracting(PlannedStack::stackName).containsExactly("team-root");
        assertThat(store.plan("run-1").skipped()).extracting(SkippedStack::stackName, SkippedStack::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("team-root-Nested-1", SkipReason.NESTED_STACK),
                        org.assertj.core.groups.Tuple.tuple("team-rollback-complete", SkipReason.NOT_UPDATABLE),
                        org.assertj.core.groups.Tuple.tuple("team-rollback-failed", SkipReason.NOT_UPDATABLE),
                        org.assertj.core.groups.Tuple.tuple("team-delete-failed", SkipReason.NOT_UPDATABLE),
                        org.assertj.core.groups.Tuple.tuple("team-update-rollback-failed", SkipReason.NOT_UPDATABLE),
                        org.assertj.core.groups.Tuple.tuple("team-review-in-progress", SkipReason.NOT_UPDATABLE),
                        org.assertj.core.groups.Tuple.tuple("other-app", SkipReason.PREFIX_MISMATCH));
        assertThat(out.skippedByReason()).containsEntry(SkipReason.NOT_UPDATABLE, 5)
                .containsEntry(SkipReason.NESTED_STACK, 1).containsEntry(SkipReason.PREFIX_MISMATCH, 1);
        assertThat(store.plan("run-1").skipped()).filteredOn(s -> s.stackName().equals("team-rollback-complete"))
                .first().extracting(SkippedStack::detail).asString().contains("ROLLBACK_COMPLETE");
    }

    @Test
    void keepsStacksLeftAtFalseAndStacksBusyWithAnotherOperation() {
        aws.cloudFormation.createStack(new StackSpec("left-at-false", ConsumerTemplates.rotating("prod/api-token"),
                Map.of("RotateToken", "false")));
        stack("busy", ConsumerTemplates.rotating("prod/api-token"));
        aws.cloudFormation.occupy("busy", Duration.ofMinutes(5));

        find(RotationRequest.empty());

        assertThat(store.plan("run-1").toRotate())
                .extracting(PlannedStack::stackName, PlannedStack::parameterValue, PlannedStack::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("left-at-false", "false", "CREATE_COMPLETE"),
                        org.assertj.core.groups.Tuple.tuple("busy", "true", "UPDATE_IN_PROGRESS"));
    }

    @Test
    void skipsStacksWhoseParameterIsNoEcho() {
        stack("masked", ConsumerTemplates.rotating("prod/api-token").replace(
                "\"AllowedValues\": [\"true\", \"false\"]}", "\"AllowedValues\": [\"true\", \"false\"], \"NoEcho\": true}"));

        FindStacksOutput out = find(RotationRequest.empty());

        assertThat(out.toRotateCount()).isZero();
        assertThat(out.skippedPreview()).extracting(SkippedStack::reason).containsExactly(SkipReason.PARAMETER_NOECHO);
    }

    @Test
    void resolvesNamePartialArnAndFullArnToTheCanonicalSecret() {
        String partial = secretArn.substring(0, secretArn.length() - 7);
        for (String id : List.of("prod/api-token", partial, secretArn)) {
            FindStacksOutput out = find(request(id, null, null, null));
            assertThat(out.secret().arn()).as(id).isEqualTo(secretArn);
            assertThat(out.secret().name()).isEqualTo("prod/api-token");
            assertThat(out.secret().versionStages()).contains("AWSCURRENT");
        }
        assertThat(aws.server.callCounts()).containsKey("DescribeSecret").doesNotContainKey("GetSecretValue");
    }

    @Test
    void aVersionStagedOnlyAwsPendingRotatesNothingAndSaysWhy() {
        stack("app", ConsumerTemplates.rotating("prod/api-token"));
        String pending = aws.secrets.putSecretValue("prod/api-token", "next-value", List.of(SecretsManagerModel.AWSPENDING));

        FindStacksOutput out = find(request(secretArn, pending, null, null));

        assertThat(out.toRotateCount()).isZero();
        assertThat(out.items()).isEmpty();
        assertThat(out.ignoredReason()).contains(pending).contains("AWSPENDING").contains("not AWSCURRENT");
        assertThat(aws.server.callCounts()).doesNotContainKey("DescribeStacks");
    }

    @Test
    void aVersionThatIsAwsCurrentRotatesTheFleet() {
        stack("app", ConsumerTemplates.rotating("prod/api-token"));
        String current = aws.secrets.putSecretValue("prod/api-token", "new-value", null);

        FindStacksOutput out = find(request("prod/api-token", current, null, null));

        assertThat(out.ignoredReason()).isNull();
        assertThat(out.secret().versionId()).isEqualTo(current);
        assertThat(out.toRotateCount()).isEqualTo(1);
    }

    /** A root that only passes the parameter down to its nested stack (the secret is used in the nested one). */
    private static final String ROOT_ONLY = """
            {"Parameters": {"RotateToken": {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"]}},
             "Resources": {"Consumer": {"Type": "AWS::CloudFormation::Stack", "Properties": {
                 "TemplateURL": "https://example-bucket.s3.amazonaws.com/consumer.json",
                 "Parameters": {"RotateToken": {"Ref": "RotateToken"}}}}}}
            """;

    @Test
    void referencingSelectionRotatesARootWhoseNestedStackReferencesTheSecret() {
        stack("root", ROOT_ONLY);
        aws.cloudFormation.createStack(new StackSpec("root-Consumer-1", ConsumerTemplates.rotating("prod/api-token"),
                Map.of(), List.of(), "root", null, null, null, null));
        stack("unrelated-root", ROOT_ONLY);
        aws.cloudFormation.createStack(new StackSpec("unrelated-root-Consumer-1", ConsumerTemplates.parameterOnly(),
                Map.of(), List.of(), "unrelated-root", null, null, null, null));

        find(request("prod/api-token", null, null, "referencing"));

        assertThat(store.plan("run-1").toRotate()).extracting(PlannedStack::stackName).containsExactly("root");
        SkippedStack nested = store.plan("run-1").skipped().stream()
                .filter(x -> x.stackName().equals("root-Consumer-1")).findFirst().orElseThrow();
        assertThat(nested.reason()).isEqualTo(SkipReason.NESTED_STACK);
        assertThat(nested.detail()).contains("rotated through its root stack root,");
        assertThat(store.plan("run-1").skipped()).extracting(SkippedStack::stackName, SkippedStack::reason)
                .contains(org.assertj.core.groups.Tuple.tuple("unrelated-root", SkipReason.NOT_REFERENCING_SECRET));
    }

    @Test
    void aVersionIdTheSecretDoesNotHaveIsRefusedBeforeAnyStackIsRead() {
        stack("app", ConsumerTemplates.rotating("prod/api-token"));

        assertThatThrownBy(() -> find(request("prod/api-token", "00000000-0000-4000-8000-00000000dead", null, null)))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("versionId")
                .hasMessageContaining("prod/api-token");
        assertThat(aws.server.callCounts()).doesNotContainKey("DescribeStacks");
    }

    @Test
    void aStackWhoseLastUpdateFailedWithRollbackDisabledIsPlanned() {
        aws.cloudFormation.createStack(new StackSpec("kept", ConsumerTemplates.rotating("prod/api-token"), Map.of(),
                List.of(), null, null, "UPDATE_FAILED", null, null));

        find(RotationRequest.empty());

        assertThat(store.plan("run-1").toRotate()).extracting(PlannedStack::stackName).containsExactly("kept");
    }

    @Test
    void referencingSelectionKeepsStacksThatNameTheSecretByNameArnOrPartialArn() {
        aws.secrets.createSecret("prod/other", "x");
        aws.secrets.createSecret("prod/api-token-2", "y");
        String partial = secretArn.substring(0, secretArn.length() - 7);
        stack("by-name", ConsumerTemplates.rotating("prod/api-token"));
        stack("by-arn", ConsumerTemplates.rotating(secretArn));
        stack("by-partial-arn", ConsumerTemplates.rotating(partial));
        stack("other-secret", ConsumerTemplates.rotating("prod/other"));
        stack("prefix-of-name", ConsumerTemplates.rotating("prod/api-token-2"));

        find(request("prod/api-token", null, null, "referencing"));

        assertThat(store.plan("run-1").toRotate()).extracting(PlannedStack::stackName)
                .containsExactly("by-name", "by-arn", "by-partial-arn");
        assertThat(store.plan("run-1").skipped()).extracting(SkippedStack::stackName, SkippedStack::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("other-secret", SkipReason.NOT_REFERENCING_SECRET),
                        org.assertj.core.groups.Tuple.tuple("prefix-of-name", SkipReason.NOT_REFERENCING_SECRET));
    }

    @Test
    void outputStaysFarBelowTheStepFunctionsPayloadLimitAtFiveThousandStacks() {
        String longName = "a-very-long-stack-name-for-a-payments-service-in-production-eu-west-1-number-";
        for (int i = 0; i < 5000; i++) {
            stack(longName + i, ConsumerTemplates.rotating("prod/api-token"));
        }
        for (int i = 0; i < 500; i++) {
            aws.cloudFormation.createStack(new StackSpec("broken-" + longName + i, ConsumerTemplates.rotating("prod/api-token"),
                    Map.of(), List.of(), null, null, "ROLLBACK_COMPLETE", null, null));
        }

        FindStacksOutput out = find(RotationRequest.empty());

        int bytes = Json.write(out).getBytes(StandardCharsets.UTF_8).length;
        assertThat(out.toRotateCount()).isEqualTo(5000);
        assertThat(bytes).isLessThan(64 * 1024); // Step Functions allows 256 KiB
    }

    @Test
    void deploymentDefaultsApplyWhenTheRequestLeavesFieldsOut() {
        stack("team-a", ConsumerTemplates.parameterOnly().replace("RotateToken", "Rotate"));
        stack("other", ConsumerTemplates.parameterOnly().replace("RotateToken", "Rotate"));

        FindStacksOutput out = service.find(new FindStacksInput("run-1", RotationRequest.empty()),
                new InputRules.Defaults("Rotate", "team-", null));

        assertThat(out.parameterName()).isEqualTo("Rotate");
        assertThat(out.toRotatePreview()).containsExactly("team-a");
    }

    @Test
    void invalidInputFailsAtOnceNamingTheField() {
        assertThatThrownBy(() -> find(new RotationRequest("", null, null, null, null, null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("parameterName");
        assertThatThrownBy(() -> find(request("arn:aws:s3:::not-a-secret", null, null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("secretId");
        assertThatThrownBy(() -> find(request("no such secret!", null, null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("secretId");
        assertThatThrownBy(() -> find(request("prod/missing", null, null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("secretId")
                .hasMessageContaining("prod/missing");
        assertThatThrownBy(() -> find(request(null, "00000000-0000-4000-8000-000000000001", null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("versionId");
        assertThatThrownBy(() -> find(request(null, null, null, "some")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("selection");
        assertThatThrownBy(() -> find(request(null, null, "-bad", null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("stackNamePrefix");
        assertThatThrownBy(() -> service.find(new FindStacksInput("not a run id", null), InputRules.Defaults.NONE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("runId");
        assertThatThrownBy(() -> service.find(new FindStacksInput(null, RotationRequest.empty(), "RotateToken", null,
                null, null, null, null, null), InputRules.Defaults.NONE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("request")
                .hasMessageContaining("top level");
    }

    @Test
    void aDirectInvocationMayGiveTheFieldsAtTheTopLevelAndNoRunId() {
        stack("team-app", ConsumerTemplates.rotating("prod/api-token"));
        stack("other", ConsumerTemplates.rotating("prod/api-token"));

        FindStacksOutput out = service.find(new FindStacksInput(null, null, null, "prod/api-token", null, "team-",
                null, null, null), InputRules.Defaults.NONE);

        assertThat(out.runId()).startsWith("run-");
        assertThat(out.toRotatePreview()).containsExactly("team-app");
        assertThat(out.secret().name()).isEqualTo("prod/api-token");
        assertThat(store.plan(out.runId()).skipped()).extracting(SkippedStack::stackName).containsExactly("other");
    }

    @Test
    void neverLogsOrReturnsASecretValue() {
        stack("app", ConsumerTemplates.rotating("prod/api-token"));
        FindStacksOutput out = find(request("prod/api-token", null, null, "referencing"));

        String everything = Json.write(out) + Json.write(store.plan("run-1")) + logs.toString(StandardCharsets.UTF_8);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("found stacks");
        for (String value : aws.secrets.allValuesForLeakChecks()) {
            assertThat(everything).doesNotContain(value);
        }
    }
}
