package io.tokenrotator.cli;

import io.tokenrotator.contract.Convention;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.cli.local.ExecutionResult;
import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.LocalRotation;
import io.tokenrotator.cli.local.ProgressListener;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.settings.Setting;
import io.tokenrotator.contract.SkipReason;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.errors.ThrottledException;
import io.tokenrotator.json.Json;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.simulator.ConsumerTemplates;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.wiring.RotatorFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real state machine, run by aws-local-stepfunctions, calling the real handlers over the Lambda Invoke API,
 * which call the simulated CloudFormation and Secrets Manager through the AWS SDK. Time runs 60x.
 */
class EndToEndTest {
    private static final String SECRET = "prod/api-token";
    private static final DeploymentSettings SETTINGS = DeploymentSettings.of(Map.of(Setting.MAX_CONCURRENCY, 10, Setting.POLL_SECONDS, 20, Setting.MAX_WAIT_MINUTES, 20,
            Setting.RESTORE_ATTEMPTS, 2, Setting.RESTORE_DELAY_SECONDS, 30));
    private final LocalEnvironment env = new LocalEnvironment(60, new InputRules.Defaults(SETTINGS));
    private final String secretArn = env.secrets.createSecret(SECRET, "s3cr3t-value-one");

    @AfterEach
    void close() {
        env.close();
    }

    private void stack(String name) {
        stack(name, ConsumerTemplates.rotating(SECRET), Map.of(), List.of());
    }

    private void stack(String name, String template, Map<String, String> params, List<String> capabilities) {
        env.cloudFormation.createStack(new StackSpec(name, template, params, capabilities, null, null, null,
                Duration.ofSeconds(30), "arn:aws:iam::123456789012:role/cfn-" + name));
    }

    private String newVersion() {
        return env.secrets.putSecretValue(SECRET, "s3cr3t-value-two", null);
    }

    private LocalRotation rotate(String version, String prefix, Boolean dryRun) {
        return LocalRotation.run(env, new RotationRequest(null, secretArn, version, prefix, null, dryRun, null),
                version, ProgressListener.NONE);
    }

    private StackResult result(LocalRotation run, String stack) {
        return run.report().stacks().stream().filter(r -> r.stackName().equals(stack)).findFirst().orElseThrow();
    }

    private List<String> versionsOf(String stack) {
        return env.cloudFormation.inspect(stack).resources().values().stream()
                .flatMap(r -> r.secretVersions().stream()).toList();
    }

    @Test
    void rotatesEveryStackOntoTheNewSecretVersion() {
        stack("plain");
        stack("with-iam", ConsumerTemplates.withIamRole(SECRET), Map.of(), List.of("CAPABILITY_IAM"));
        stack("language-extensions", ConsumerTemplates.languageExtensions(SECRET), Map.of(),
                List.of("CAPABILITY_AUTO_EXPAND"));
        stack("noecho-sibling", ConsumerTemplates.rotating(SECRET), Map.of("DbPassword", "hunter2-not-a-secret"), List.of());
        String version = newVersion();

        LocalRotation run = rotate(version, null, null);

        assertThat(run.execution().status()).isEqualTo("SUCCEEDED");
        assertThat(run.execution().output().path("counts").path("ROTATED").asInt()).isEqualTo(4);
        assertThat(run.problems()).isEmpty();
        for (String s : List.of("plain", "with-iam", "language-extensions", "noecho-sibling")) {
            assertThat(result(run, s).outcome()).as(s).isEqualTo(Outcome.ROTATED);
            assertThat(versionsOf(s)).as(s).containsOnly(version);
            assertThat(env.cloudFormation.inspect(s).parameters()).containsEntry("RotateToken", "true");
        }
        assertThat(env.cloudFormation.inspect("noecho-sibling").parameters()).containsEntry("DbPassword", "hunter2-not-a-secret");
        assertThat(run.apiCalls()).doesNotContainKey("GetSecretValue");
    }

    @Test
    void inPlaceStacksTakeTheNewValueWithOneUpdateAndNothingDeletedBesideRotateTokenStacks() {
        stack("two-phase");
        stack("in-place", ConsumerTemplates.inPlace(SECRET), Map.of(), List.of());
        String first = env.secrets.describeOrThrow(SECRET).versionWithStage(SecretsManagerModel.AWSCURRENT);
        stack("pinned", ConsumerTemplates.inPlacePinned(SECRET), Map.of("TokenVersion", first), List.of());
        String version = newVersion();

        LocalRotation run = rotate(version, null, null);

        assertThat(run.execution().status()).isEqualTo("SUCCEEDED");
        assertThat(run.problems()).isEmpty();
        for (String s : List.of("in-place", "pinned")) {
            StackResult r = result(run, s);
            assertThat(r.outcome()).as(s).isEqualTo(Outcome.ROTATED);
            assertThat(r.convention()).isEqualTo(Convention.IN_PLACE);
            assertThat(versionsOf(s)).as(s).containsOnly(version);
            CloudFormationModel.StackState state = env.cloudFormation.inspect(s);
            assertThat(state.parameters()).containsEntry("TokenVersion", version);
            assertThat(state.calls()).as(s + ": one UpdateStack, to the new version").hasSize(1);
            assertThat(state.calls().get(0).parameters())
                    .anyMatch(p -> "TokenVersion".equals(p.key()) && version.equals(p.value()));
        }
        assertThat(result(run, "two-phase").convention()).isEqualTo(Convention.ROTATE_TOKEN);
        assertThat(env.cloudFormation.inspect("two-phase").calls()).hasSize(2);
        assertThat(run.apiCalls()).doesNotContainKey("GetSecretValue");
    }

    @Test
    void anInPlaceUpdateThatRollsBackIsFailedWithItsResourcesOnTheOldValueAndIsNotRetried() {
        stack("in-place", ConsumerTemplates.inPlace(SECRET), Map.of(), List.of());
        String old = versionsOf("in-place").get(0);
        String version = newVersion();
        env.cloudFormation.failUpdates("in-place", "TokenVersion", version, 1, CloudFormationModel.FailureMode.ROLLBACK,
                "Resource handler returned message: \"Service Unavailable\"");

        LocalRotation run = rotate(version, null, null);

        StackResult r = result(run, "in-place");
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("TokenVersion=" + version).contains("Service Unavailable")
                .contains("nothing was deleted");
        assertThat(r.action()).contains("./token-rotator start --secret " + SECRET);
        assertThat(versionsOf("in-place")).containsExactly(old);
        assertThat(env.cloudFormation.inspect("in-place").calls()).as("no restore loop in place").hasSize(1);
        assertThat(run.execution().status()).isEqualTo("FAILED");
        assertThat(run.problems()).isEmpty();

        LocalRotation again = LocalRotation.run(env, "rerun-after-fix", new RotationRequest(null, secretArn, version,
                null, null, null, null), version, ProgressListener.NONE);
        assertThat(result(again, "in-place").outcome()).as("the action works").isEqualTo(Outcome.ROTATED);
        assertThat(versionsOf("in-place")).containsExactly(version);
    }

    @Test
    void aStackWithBothConventionsIsSkippedAndAnInPlaceStackNeedsTheSecretsVersion() {
        stack("both", ConsumerTemplates.inPlace(SECRET).replace("\"TokenVersion\": {",
                "\"RotateToken\": {\"Type\": \"String\", \"Default\": \"true\"},\n    \"TokenVersion\": {"),
                Map.of(), List.of());
        stack("in-place", ConsumerTemplates.inPlace(SECRET), Map.of(), List.of());
        stack("two-phase");
        String version = newVersion();

        // started by hand without a secret: the RotateToken stack re-resolves AWSCURRENT, the in-place one cannot
        LocalRotation run = LocalRotation.run(env, new RotationRequest(null, null, null, null, null, null, null),
                version, ProgressListener.NONE);

        assertThat(result(run, "both").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(result(run, "both").reason()).startsWith("BOTH_CONVENTIONS").contains("RotateToken")
                .contains("TokenVersion");
        assertThat(result(run, "in-place").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(result(run, "in-place").reason()).startsWith("NO_VERSION_FOR_IN_PLACE").contains("--secret");
        assertThat(result(run, "two-phase").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(env.cloudFormation.inspect("both").calls()).isEmpty();
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void everyHandlerLogLineNamesItsInvocationsRequestIdAndFunction() throws Exception {
        stack("plain");
        stack("other");

        LocalRotation run = rotate(newVersion(), null, null);

        assertThat(run.execution().status()).isEqualTo("SUCCEEDED");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : env.logs().split("\n")) {
            lines.add(Json.MAPPER.readTree(line));
        }
        Set<String> functions = RotatorFunction.workflow().stream().map(RotatorFunction::id).collect(Collectors.toSet());
        assertThat(lines).hasSizeGreaterThanOrEqualTo(6); // found stacks, 2 x 2 phases updated, finished, run finished
        for (JsonNode line : lines) {
            assertThat(line.path("requestId").asText()).as(line.toString()).matches("[0-9a-f-]{36}");
            assertThat(line.path("function").asText()).as(line.toString()).isIn(functions);
        }
        assertThat(lines.stream().map(l -> l.path("requestId").asText()).distinct().count())
                .as("one request id per invocation").isGreaterThan(1);
        assertThat(lines).anySatisfy(l -> assertThat(l.path("function").asText()).isEqualTo("FindStacks"))
                .anySatisfy(l -> assertThat(l.path("function").asText()).isEqualTo("UpdateStack"));
    }

    @Test
    void aPhaseOneFailureLeavesTheStackAsItWasAndFailsTheExecutionNamingIt() {
        stack("ok");
        stack("rolls-back");
        String oldVersion = versionsOf("rolls-back").get(0);
        env.cloudFormation.failUpdates("rolls-back", "RotateToken", "false", 1, CloudFormationModel.FailureMode.ROLLBACK,
                "Resource handler returned message: \"Throttled by the target service\"");

        LocalRotation run = rotate(newVersion(), null, null);

        assertThat(run.execution().status()).isEqualTo("FAILED");
        assertThat(run.execution().error()).isEqualTo("TokenRotator.StacksNeedAttention");
        assertThat(run.execution().cause()).contains("rolls-back").contains("1 FAILED");
        assertThat(result(run, "rolls-back").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result(run, "rolls-back").reason()).contains("Throttled by the target service");
        assertThat(versionsOf("rolls-back")).containsOnly(oldVersion);
        assertThat(result(run, "ok").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aPhaseOneUpdateRefusedByTheStackPolicyIsFailedAndLeavesTheStackUntouched() {
        String policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"Update:*\", \"Principal\": \"*\","
                + " \"Resource\": \"*\"}, {\"Effect\": \"Deny\", \"Action\": \"Update:Delete\", \"Principal\": \"*\","
                + " \"Resource\": \"LogicalResourceId/ApiConnection\"}]}";
        env.cloudFormation.createStack(new StackSpec("guarded", ConsumerTemplates.rotating(SECRET), Map.of(), List.of(),
                null, policy, null, Duration.ofSeconds(30), null));

        LocalRotation run = rotate(newVersion(), null, null);

        StackResult r = result(run, "guarded");
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("StackNotUpdatableException").contains("LogicalResourceId/ApiConnection")
                .contains("not changed");
        assertThat(env.cloudFormation.inspect("guarded").updatesStarted()).isZero();
        assertThat(run.execution().cause()).contains("guarded");
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aPhaseTwoRollbackThatFailsIsStuckAndNeedsAttention() {
        stack("stuck");
        env.cloudFormation.failUpdates("stuck", "RotateToken", "true", 1, CloudFormationModel.FailureMode.ROLLBACK_FAILED,
                "Resource handler returned message: \"Access Denied\"");

        LocalRotation run = rotate(newVersion(), null, null);

        StackResult r = result(run, "stuck");
        assertThat(r.outcome()).isEqualTo(Outcome.NEEDS_ATTENTION);
        assertThat(r.status()).isEqualTo("UPDATE_ROLLBACK_FAILED");
        assertThat(r.reason()).contains("UPDATE_ROLLBACK_FAILED").contains("Access Denied");
        assertThat(r.action()).contains("ContinueUpdateRollback");
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aPhaseTwoFailureIsRestoredByRetry() {
        stack("flaky");
        env.cloudFormation.failUpdates("flaky", "RotateToken", "true", 1, CloudFormationModel.FailureMode.ROLLBACK,
                "Resource handler returned message: \"Service Unavailable\"");
        String version = newVersion();

        LocalRotation run = rotate(version, null, null);

        assertThat(run.execution().status()).isEqualTo("SUCCEEDED");
        assertThat(result(run, "flaky").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(result(run, "flaky").reason()).contains("1 restore attempt");
        assertThat(env.cloudFormation.inspect("flaky").updatesStarted()).isEqualTo(3);
        assertThat(versionsOf("flaky")).containsOnly(version);
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aPhaseTwoFailingForGoodIsReportedNeedsAttentionWithItsReason() {
        stack("broken");
        env.cloudFormation.failUpdates("broken", "RotateToken", "true", 100, CloudFormationModel.FailureMode.ROLLBACK,
                "Resource handler returned message: \"Connection name already exists\"");

        LocalRotation run = rotate(newVersion(), null, null);

        assertThat(run.execution().status()).isEqualTo("FAILED");
        assertThat(run.execution().cause()).contains("broken").contains("NEED ATTENTION");
        StackResult r = result(run, "broken");
        assertThat(r.outcome()).isEqualTo(Outcome.NEEDS_ATTENTION);
        assertThat(r.reason()).contains("Connection name already exists").contains("at false");
        assertThat(r.action()).contains("RotateToken=true");
        assertThat(env.cloudFormation.inspect("broken").parameters()).containsEntry("RotateToken", "false");
        long trueAttempts = env.cloudFormation.inspect("broken").calls().stream()
                .filter(c -> c.parameters().stream().anyMatch(p -> "true".equals(p.value()))).count();
        assertThat(trueAttempts).isEqualTo(1 + SETTINGS.get(Setting.RESTORE_ATTEMPTS));
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aBusyStackIsWaitedFor() {
        stack("busy");
        // busy from the moment phase 1 is called (another deploy began just then), whatever the machine's load
        env.lambdas.beforeInvoke("UpdateStack", p -> p.contains("\"target\":\"false\""),
                () -> env.cloudFormation.occupy("busy", Duration.ofMinutes(3)));
        String version = newVersion();

        LocalRotation run = rotate(version, null, null);

        assertThat(result(run, "busy").outcome()).isEqualTo(Outcome.ROTATED);
        // refused while busy (nothing changed), then tried again by the phase's loop
        assertThat(run.handlerErrors()).containsKey("io.tokenrotator.errors.StackBusyException");
        assertThat(versionsOf("busy")).containsOnly(version);
    }

    @Test
    void aThrottlingStormIsSurvived() {
        for (int i = 0; i < 8; i++) {
            stack("storm-" + i);
        }
        env.simulator.limit("UpdateStack", 0.1, 1);
        env.simulator.limit("DescribeStacks", 1, 2);
        env.simulator.limit("GetTemplate", 1, 2);

        LocalRotation run = rotate(newVersion(), null, null);

        assertThat(run.execution().status()).isEqualTo("SUCCEEDED");
        assertThat(run.report().counts()).containsEntry(Outcome.ROTATED, 8);
        assertThat(run.throttled().values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(10);
        assertThat(run.handlerErrors()).containsKey(ThrottledException.class.getName());
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void nestedNeverUpdatableAndPrefixFilteredStacksAreSkipped() {
        stack("team-app");
        env.cloudFormation.createStack(new StackSpec("team-app-Nested-1", ConsumerTemplates.rotating(SECRET), Map.of(),
                List.of(), "team-app", null, null, null, null));
        env.cloudFormation.createStack(new StackSpec("team-broken", ConsumerTemplates.rotating(SECRET), Map.of(),
                List.of(), null, null, "UPDATE_ROLLBACK_FAILED", null, null));
        stack("other-app");

        LocalRotation run = rotate(newVersion(), "team-", null);

        assertThat(result(run, "team-app").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(result(run, "team-app-Nested-1").reason()).startsWith(SkipReason.NESTED_STACK.name());
        assertThat(result(run, "team-broken").reason()).startsWith(SkipReason.NOT_UPDATABLE.name());
        assertThat(result(run, "other-app").reason()).startsWith(SkipReason.PREFIX_MISMATCH.name());
        for (String skipped : List.of("team-app-Nested-1", "team-broken", "other-app")) {
            assertThat(result(run, skipped).outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(env.cloudFormation.inspect(skipped).updatesStarted()).as(skipped).isZero();
        }
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void stacksLeftAtFalseByAnEarlierRunAreRestoredOntoTheNewVersion() {
        stack("left-at-false", ConsumerTemplates.rotating(SECRET), Map.of("RotateToken", "false"), List.of());
        assertThat(env.cloudFormation.inspect("left-at-false").resources()).doesNotContainKey("ApiConnection");
        String version = newVersion();

        LocalRotation run = rotate(version, null, null);

        assertThat(result(run, "left-at-false").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(env.cloudFormation.inspect("left-at-false").resources()).containsKey("ApiConnection");
        assertThat(versionsOf("left-at-false")).containsOnly(version);
    }

    @Test
    void anAwsPendingVersionRotatesNothing() {
        stack("app");
        String pending = env.secrets.putSecretValue(SECRET, "next", List.of(SecretsManagerModel.AWSPENDING));

        LocalRotation run = rotate(pending, null, null);

        assertThat(run.execution().status()).isEqualTo("SUCCEEDED");
        assertThat(run.report().ignoredReason()).contains("AWSPENDING");
        assertThat(run.apiCalls()).doesNotContainKey("UpdateStack").doesNotContainKey("DescribeStacks");
    }

    @Test
    void aDryRunReturnsThePlanAndChangesNothing() {
        stack("a");
        stack("b");

        LocalRotation run = rotate(newVersion(), null, true);

        assertThat(run.execution().status()).isEqualTo("SUCCEEDED");
        assertThat(run.execution().output().path("toRotateCount").asInt()).isEqualTo(2);
        assertThat(run.execution().output().path("toRotatePreview").toString()).contains("\"a\"").contains("\"b\"");
        assertThat(run.apiCalls()).doesNotContainKey("UpdateStack");
    }

    @Test
    void invalidExecutionInputIsRejectedWithAClearError() {
        ExecutionResult typo = env.run("typo", Map.of("stackPrefix", "team-"), ProgressListener.NONE);
        assertThat(typo.status()).isEqualTo("FAILED");
        assertThat(typo.error()).isEqualTo("io.tokenrotator.errors.InvalidInputException");
        assertThat(typo.cause()).contains("request.stackPrefix").contains("stackNamePrefix");

        ExecutionResult selection = env.run("bad-selection", Map.of("selection", "everything"), ProgressListener.NONE);
        assertThat(selection.error()).isEqualTo("io.tokenrotator.errors.InvalidInputException");
        assertThat(selection.cause()).contains("selection");
        assertThat(env.simulator.callCounts()).doesNotContainKey("UpdateStack");
    }

    @Test
    void aLargeExecutionOutputArrivesWhole() {
        String big = "x".repeat(300_000);
        String definition = "{\"StartAt\": \"Big\", \"States\": {\"Big\": {\"Type\": \"Pass\","
                + " \"Result\": {\"big\": \"" + big + "\"}, \"End\": true}}}";

        ExecutionResult result = env.runDefinition(definition, "big", Map.of(), ProgressListener.NONE);

        assertThat(result.output().path("big").asText()).hasSize(300_000);
    }

    @Test
    void theRunnerRefusesATaskWithoutALocalRoute() {
        String definition = """
            {"StartAt": "Call", "States": {"Call": {"Type": "Task",
             "Resource": "arn:aws:lambda:us-east-1:123456789012:function:SomethingInAws", "End": true}}}""";
        assertThatThrownBy(() -> env.runDefinition(definition, "x", Map.of(), ProgressListener.NONE))
                .hasMessageContaining("refused").hasMessageContaining("SomethingInAws");
    }

    @Test
    void theRunnerFailsLoudlyWhenTheNodeRuntimeCannotRunTasks() {
        env.extraNodeEnvironment.put("NODE_OPTIONS",
                // NODE_OPTIONS splits on spaces: the injected script has none
                "--import=data:text/javascript,Promise.withResolvers=()=>{throw(new(TypeError)('noWithResolvers'))}");
        stack("app");
        assertThatThrownBy(() -> rotate(newVersion(), null, null))
                .hasMessageContaining("broken").hasMessageContaining("noWithResolvers");
        assertThat(env.simulator.callCounts()).doesNotContainKey("UpdateStack");
    }
}
