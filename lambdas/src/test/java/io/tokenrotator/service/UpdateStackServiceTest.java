package io.tokenrotator.service;

import io.tokenrotator.contract.StackRef;
import io.tokenrotator.contract.StackStatusInput;
import io.tokenrotator.contract.StatusClass;
import io.tokenrotator.contract.UpdateResult;
import io.tokenrotator.contract.UpdateStackInput;
import io.tokenrotator.contract.UpdateStackOutput;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.errors.StackBusyException;
import io.tokenrotator.errors.StackLeasedException;
import io.tokenrotator.errors.StackNotUpdatableException;
import io.tokenrotator.errors.ThrottledException;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.CloudFormationModel.ParamInput;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.simulator.CloudFormationModel.UpdateStackCall;
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

class UpdateStackServiceTest {
    private final SimulatedAws aws = new SimulatedAws();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final UpdateStackService service = new UpdateStackService(aws.cloudFormationPort(), aws.runStore(), aws.leases,
            new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)));
    private final StackStatusService status = new StackStatusService(aws.cloudFormationPort(), aws.clock.asJavaClock());

    UpdateStackServiceTest() {
        aws.secrets.createSecret("prod/api-token", "s3cr3t-value-1");
    }

    @AfterEach
    void close() {
        aws.close();
    }

    private StackRef stack(String name, String template, Map<String, String> params, List<String> capabilities) {
        String id = aws.cloudFormation.createStack(new StackSpec(name, template, params, capabilities, null, null,
                null, null, "arn:aws:iam::123456789012:role/cfn-service-role"));
        return new StackRef(name, id);
    }

    private StackRef stack(String name) {
        return stack(name, ConsumerTemplates.rotating("prod/api-token"), Map.of("Environment", "prod"), List.of());
    }

    private UpdateStackOutput update(StackRef stack, String target) {
        return service.update(new UpdateStackInput("run-1", stack, target, null, null));
    }

    private void settle() {
        aws.advance(Duration.ofMinutes(10));
    }

    @Test
    void theCallIsSentAtItsPointAfterEveryOtherReadAndAPassedPointIsNotWaitedFor() {
        StackRef app = stack("app");
        java.time.Instant now = aws.clock.asJavaClock().instant();
        java.util.List<String> seen = new java.util.ArrayList<>();
        UpdateStackService pacing = new UpdateStackService(aws.cloudFormationPort(), aws.runStore(), aws.leases,
                new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), null, aws.clock.asJavaClock(),
                target -> {
                    seen.add("sleep until " + target + ", stack status " + aws.cloudFormation.inspect("app").status());
                    aws.advance(Duration.between(aws.clock.asJavaClock().instant(), target));
                });
        String point = now.plusMillis(1500).toString();
        assertThat(pacing.update(new UpdateStackInput("run-1", app, "false", null, 0, null, point, null, null)).result())
                .isEqualTo(UpdateResult.UPDATE_STARTED);
        assertThat(seen).containsExactly("sleep until " + point + ", stack status CREATE_COMPLETE");
        assertThat(aws.cloudFormationPort().describeStack(app.stackId()).orElseThrow().lastUpdatedTime()).as("sent at the point")
                .isEqualTo(java.time.Instant.parse(point));
        settle();
        pacing.update(new UpdateStackInput("run-1", app, "true", null, 0, null, point, null, null));
        assertThat(seen).as("passed: sent at once").hasSize(1);
        assertThatThrownBy(() -> pacing.update(new UpdateStackInput("run-1", app, "false", null, 0, null, "1 pm", null, null)))
                .hasMessageContaining("sendAt: expected an ISO-8601 instant");
    }

    @Test
    void aFirstTryFarTooLateForItsPointIsNotSentButATryAfterAThrottledOneIs() {
        StackRef app = stack("app");
        java.time.Instant now = aws.clock.asJavaClock().instant();
        String missed = now.minusMillis(5500).toString();
        String late = now.plusSeconds(600).toString();
        UpdateStackService pacing = new UpdateStackService(aws.cloudFormationPort(), aws.runStore(), aws.leases,
                new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), null, aws.clock.asJavaClock(),
                target -> { throw new AssertionError("no wait expected"); });
        assertThatThrownBy(() -> pacing.update(new UpdateStackInput("run-1", app, "false", null, 0, null, missed, late, 0)))
                .isExactlyInstanceOf(io.tokenrotator.errors.SlotMissedException.class)
                .hasMessageContaining("not sent; it goes to its late point " + late);
        assertThat(aws.cloudFormation.inspect("app").updatesStarted()).as("nothing sent").isZero();
        assertThat(pacing.update(new UpdateStackInput("run-1", app, "false", null, 0, null, missed, late, 1)).result())
                .as("a later try of the phase goes at once").isEqualTo(UpdateResult.UPDATE_STARTED);
    }

    @Test
    void falseThenTrueRecreatesTheGatedResourceOnTheNewSecretVersion() {
        StackRef app = stack("app");
        String oldVersion = aws.cloudFormation.inspect("app").resources().get("ApiConnection").secretVersions().get(0);
        String newVersion = aws.secrets.putSecretValue("prod/api-token", "s3cr3t-value-2", null);

        assertThat(update(app, "false").result()).isEqualTo(UpdateResult.UPDATE_STARTED);
        assertThat(status.status(new StackStatusInput(app, null)).classification()).isEqualTo(StatusClass.IN_PROGRESS);
        settle();
        assertThat(aws.cloudFormation.inspect("app").resources()).doesNotContainKey("ApiConnection").containsKey("Queue");

        assertThat(update(app, "true").result()).isEqualTo(UpdateResult.UPDATE_STARTED);
        settle();
        CloudFormationModel.StackState after = aws.cloudFormation.inspect("app");
        assertThat(after.status()).isEqualTo("UPDATE_COMPLETE");
        assertThat(after.parameters()).containsEntry("RotateToken", "true").containsEntry("Environment", "prod");
        assertThat(after.resources().get("ApiConnection").secretVersions()).containsExactly(newVersion)
                .doesNotContain(oldVersion);
    }

    @Test
    void sendsThePreviousTemplateEveryOtherParameterAsUsePreviousValueTheStacksCapabilitiesAndNoRole() {
        StackRef app = stack("app", ConsumerTemplates.withIamRole("prod/api-token"), Map.of("Environment", "prod"),
                List.of("CAPABILITY_IAM"));

        UpdateStackOutput out = update(app, "false");

        UpdateStackCall call = aws.cloudFormation.inspect("app").calls().get(0); // as received over the wire
        assertThat(call.stackName()).isEqualTo(app.stackId());
        assertThat(call.usePreviousTemplate()).isTrue();
        assertThat(call.templateBody()).isNull();
        assertThat(call.parameters()).containsExactly(
                new ParamInput("RotateToken", "false", false),
                new ParamInput("Environment", null, true),
                new ParamInput("DbPassword", null, true));
        assertThat(call.capabilities()).containsExactly("CAPABILITY_IAM");
        assertThat(call.roleArn()).isNull();
        assertThat(call.clientRequestToken()).isEqualTo(out.clientRequestToken())
                .isEqualTo(RequestTokens.forUpdate("run-1", app.stackId(), "false", 0));
        settle();
        assertThat(aws.cloudFormation.inspect("app").parameters())
                .containsEntry("DbPassword", "unused").containsEntry("Environment", "prod");
    }

    @Test
    void languageExtensionsStacksGetTheirOriginalTemplateAsTemplateBody() {
        String template = ConsumerTemplates.languageExtensions("prod/api-token");
        StackRef app = stack("le-app", template, Map.of(), List.of("CAPABILITY_AUTO_EXPAND"));

        assertThat(update(app, "false").result()).isEqualTo(UpdateResult.UPDATE_STARTED);

        UpdateStackCall call = aws.cloudFormation.inspect("le-app").calls().get(0);
        assertThat(call.usePreviousTemplate()).isFalse();
        assertThat(call.templateBody()).isEqualTo(template);
        assertThat(call.capabilities()).containsExactly("CAPABILITY_AUTO_EXPAND");
    }

    @Test
    void aTransformStackDeployedWithoutAutoExpandIsUpdatedWithItAdded() {
        // sam deploy goes through a change set: the stack's own capabilities lack CAPABILITY_AUTO_EXPAND
        StackRef app = stack("sam-app", ConsumerTemplates.sam("prod/api-token"), Map.of(), List.of("CAPABILITY_IAM"));

        assertThat(update(app, "false").result()).isEqualTo(UpdateResult.UPDATE_STARTED);

        UpdateStackCall call = aws.cloudFormation.inspect("sam-app").calls().get(0);
        assertThat(call.usePreviousTemplate()).isTrue();
        assertThat(call.capabilities()).containsExactly("CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND");
        settle();
        assertThat(aws.cloudFormation.inspect("sam-app").parameters()).containsEntry("RotateToken", "false");
    }

    @Test
    void aLanguageExtensionsTemplateOverTheTemplateBodyLimitGoesByTemplateUrlFromTheRunBucket() {
        String template = ConsumerTemplates.largeLanguageExtensions("prod/api-token");
        StackRef app = stack("big-app", template, Map.of(), List.of("CAPABILITY_AUTO_EXPAND"));

        assertThat(update(app, "false").result()).isEqualTo(UpdateResult.UPDATE_STARTED);

        UpdateStackCall call = aws.cloudFormation.inspect("big-app").calls().get(0);
        assertThat(call.templateBody()).isNull();
        assertThat(call.usePreviousTemplate()).isFalse();
        assertThat(call.templateUrl()).startsWith("https://" + SimulatedAws.RUN_BUCKET
                + ".s3.us-east-1.amazonaws.com/templates/run-1/");
        String key = call.templateUrl().substring(call.templateUrl().indexOf("templates/"));
        assertThat(new String(aws.cloudFormation.s3().inspect(SimulatedAws.RUN_BUCKET, key).orElseThrow().body(),
                StandardCharsets.UTF_8)).isEqualTo(template);
        settle();
        assertThat(aws.cloudFormation.inspect("big-app").parameters()).containsEntry("RotateToken", "false");
    }

    @Test
    void aRetriedCallWithTheSameRunStackAndPhaseStartsNoSecondUpdate() {
        StackRef app = stack("app");

        UpdateStackOutput first = update(app, "false");
        settle();
        UpdateStackOutput retried = update(app, "false");

        assertThat(retried.clientRequestToken()).isEqualTo(first.clientRequestToken());
        assertThat(aws.cloudFormation.inspect("app").updatesStarted()).isEqualTo(1);
        // CloudFormation answers TokenAlreadyExistsException for the token of an ended update: the first call was
        // accepted and only its answer was lost, so the phase counts as started (the workflow then checks the status)
        assertThat(retried.result()).isEqualTo(UpdateResult.UPDATE_STARTED);
    }

    @Test
    void anotherRunsLeaseMakesTheStackWaitWithARetryableErrorNamingThatRun() {
        StackRef app = stack("app");
        aws.leases.acquire(app.stackId(), "other-run", Duration.ofHours(1));

        assertThatThrownBy(() -> update(app, "false")).isExactlyInstanceOf(StackLeasedException.class)
                .hasMessageContaining("other-run");
        assertThat(aws.cloudFormation.inspect("app").calls()).as("no UpdateStack while another run holds it").isEmpty();

        aws.leases.release(app.stackId(), "other-run");
        assertThat(update(app, "false").result()).isEqualTo(UpdateResult.UPDATE_STARTED);
    }

    @Test
    void aRunRenewsItsOwnLeaseForEveryPhaseAndTakesOverALeaseThatExpired() {
        StackRef app = stack("app");
        aws.leases.acquire(app.stackId(), "dead-run", Duration.ofMinutes(5));
        aws.advance(Duration.ofMinutes(6));

        assertThat(update(app, "false").result()).as("the dead run's lease expired").isEqualTo(UpdateResult.UPDATE_STARTED);
        settle();
        assertThat(update(app, "true").result()).as("run-1 renews its own lease").isEqualTo(UpdateResult.UPDATE_STARTED);
        assertThat(aws.leases.acquire(app.stackId(), "late-run", Duration.ofHours(1))).as("run-1 holds it")
                .hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("run-1"));
    }

    @Test
    void aNoEchoRotationParameterIsNeverSetBecauseItsValueCannotBeConfirmed() {
        StackRef app = stack("masked", ConsumerTemplates.rotating("prod/api-token").replace(
                "\"AllowedValues\": [\"true\", \"false\"]}",
                "\"AllowedValues\": [\"true\", \"false\"], \"NoEcho\": true}"), Map.of(), List.of());

        assertThatThrownBy(() -> update(app, "false")).isExactlyInstanceOf(StackNotUpdatableException.class)
                .hasMessageContaining("parameter RotateToken is NoEcho");
        assertThat(aws.cloudFormation.inspect("masked").calls()).isEmpty();
    }

    @Test
    void aStackWhoseLastUpdateFailedWithRollbackDisabledCanBeUpdated() {
        String id = aws.cloudFormation.createStack(new StackSpec("kept", ConsumerTemplates.rotating("prod/api-token"),
                Map.of(), List.of(), null, null, "UPDATE_FAILED", null, null));

        assertThat(update(new StackRef("kept", id), "false").result()).isEqualTo(UpdateResult.UPDATE_STARTED);
    }

    @Test
    void aRestoreAttemptGetsItsOwnToken() {
        StackRef app = stack("app");
        aws.cloudFormation.failUpdates("app", "RotateToken", "true", 1, CloudFormationModel.FailureMode.ROLLBACK,
                "Resource handler returned message: \"Invalid request\"");
        update(app, "false");
        settle();
        update(app, "true");
        settle();
        assertThat(status.status(new StackStatusInput(app, null)).classification()).isEqualTo(StatusClass.ROLLED_BACK);

        UpdateStackOutput restore = service.update(new UpdateStackInput("run-1", app, "true", null, 1));
        settle();

        assertThat(restore.result()).isEqualTo(UpdateResult.UPDATE_STARTED);
        assertThat(aws.cloudFormation.inspect("app").parameters()).containsEntry("RotateToken", "true");
        assertThat(aws.cloudFormation.inspect("app").resources()).containsKey("ApiConnection");
    }

    @Test
    void noUpdatesWhileAlreadyAtTheTargetIsSuccessReportedAsAlreadyAtTarget() {
        StackRef app = stack("left-at-false", ConsumerTemplates.rotating("prod/api-token"), Map.of("RotateToken", "false"),
                List.of());

        UpdateStackOutput out = update(app, "false");

        assertThat(out.result()).isEqualTo(UpdateResult.ALREADY_AT_TARGET);
        assertThat(out.previousValue()).isEqualTo("false");
        assertThat(aws.cloudFormation.inspect("left-at-false").updatesStarted()).isZero();
    }

    @Test
    void noUpdatesAlthoughTheValueDiffersIsReportedDistinctly() {
        StackRef app = stack("nothing-gated", ConsumerTemplates.parameterOnly(), Map.of(), List.of());

        UpdateStackOutput out = update(app, "false");

        assertThat(out.result()).isEqualTo(UpdateResult.NO_RESOURCE_CHANGE);
        assertThat(out.previousValue()).isEqualTo("true");
        assertThat(aws.cloudFormation.inspect("nothing-gated").parameters()).containsEntry("RotateToken", "true");
    }

    @Test
    void aBusyStackIsARetryableError() {
        StackRef app = stack("busy");
        aws.cloudFormation.occupy("busy", Duration.ofMinutes(3));

        assertThatThrownBy(() -> update(app, "false")).isExactlyInstanceOf(StackBusyException.class)
                .hasMessageContaining("busy").hasMessageContaining("UPDATE_IN_PROGRESS");
        assertThat(aws.cloudFormation.inspect("busy").calls()).isEmpty();

        aws.advance(Duration.ofMinutes(4));
        assertThat(update(app, "false").result()).isEqualTo(UpdateResult.UPDATE_STARTED);
    }

    @Test
    void aThrottledUpdateIsSentOnceAndSurfacesAsARetryableError() {
        StackRef app = stack("app");
        aws.server.limit("UpdateStack", 0.0, 0);

        assertThatThrownBy(() -> update(app, "false")).isExactlyInstanceOf(ThrottledException.class)
                .hasMessageContaining("Rate exceeded");
        // the SDK does not retry it: the workflow's phase loop does, later, away from the other stacks' slots
        assertThat(aws.server.throttledCounts().get("UpdateStack")).isEqualTo(1L);
    }

    @Test
    void stacksThatCanNeverBeUpdatedAreATerminalErrorNamingTheStack() {
        String id = aws.cloudFormation.createStack(new StackSpec("stuck", ConsumerTemplates.rotating("prod/api-token"),
                Map.of(), List.of(), null, null, "UPDATE_ROLLBACK_FAILED", null, null));

        assertThatThrownBy(() -> update(new StackRef("stuck", id), "false"))
                .isExactlyInstanceOf(StackNotUpdatableException.class)
                .hasMessageContaining("stuck").hasMessageContaining("UPDATE_ROLLBACK_FAILED");
    }

    @Test
    void aStackThatIsGoneIsATerminalError() {
        StackRef app = stack("gone");
        aws.cloudFormation.deleteStack("gone");

        assertThatThrownBy(() -> update(app, "false")).isExactlyInstanceOf(StackNotUpdatableException.class)
                .hasMessageContaining("gone").hasMessageContaining("DELETE_COMPLETE");
    }

    @Test
    void missingCapabilitiesAreATerminalErrorCarryingCloudFormationsMessage() {
        StackRef app = stack("iam-app", ConsumerTemplates.withIamRole("prod/api-token"), Map.of(), List.of());

        assertThatThrownBy(() -> update(app, "false")).isExactlyInstanceOf(StackNotUpdatableException.class)
                .hasMessageContaining("iam-app").hasMessageContaining("InsufficientCapabilitiesException")
                .hasMessageContaining("CAPABILITY_IAM");
    }

    @Test
    void aStackPolicyThatProtectsTheGatedResourceIsATerminalErrorBeforeAnyUpdate() {
        String policy = """
            {"Statement": [
              {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
              {"Effect": "Deny", "Action": ["Update:Replace", "Update:Delete"], "Principal": "*",
               "Resource": "LogicalResourceId/ApiConnection"}]}""";
        String id = aws.cloudFormation.createStack(new StackSpec("protected", ConsumerTemplates.rotating("prod/api-token"),
                Map.of(), List.of(), null, policy, null, null, null));

        assertThatThrownBy(() -> update(new StackRef("protected", id), "false"))
                .isExactlyInstanceOf(StackNotUpdatableException.class)
                .hasMessageContaining("protected").hasMessageContaining("LogicalResourceId/ApiConnection");
        assertThat(aws.cloudFormation.inspect("protected").calls()).isEmpty();
    }

    @Test
    void aStackPolicyDenyLimitedToOtherResourceTypesLetsTheUpdateThroughAndOneMatchingTheTypeRefusesIt() {
        String otherTypes = """
            {"Statement": [
              {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
              {"Effect": "Deny", "Action": "Update:*", "Principal": "*", "Resource": "*",
               "Condition": {"StringEquals": {"ResourceType": ["AWS::RDS::DBInstance", "AWS::EC2::Instance"]}}}]}""";
        String eventsTypes = otherTypes.replace("\"StringEquals\": {\"ResourceType\": [\"AWS::RDS::DBInstance\", \"AWS::EC2::Instance\"]}",
                "\"StringLike\": {\"ResourceType\": [\"AWS::Events::*\"]}");
        String open = aws.cloudFormation.createStack(new StackSpec("rds-protected",
                ConsumerTemplates.rotating("prod/api-token"), Map.of(), List.of(), null, otherTypes, null, null, null));
        String closed = aws.cloudFormation.createStack(new StackSpec("events-protected",
                ConsumerTemplates.rotating("prod/api-token"), Map.of(), List.of(), null, eventsTypes, null, null, null));

        assertThat(update(new StackRef("rds-protected", open), "false").result()).isEqualTo(UpdateResult.UPDATE_STARTED);
        settle();
        assertThat(aws.cloudFormation.inspect("rds-protected").status()).as("CloudFormation agrees")
                .isEqualTo("UPDATE_COMPLETE");
        assertThatThrownBy(() -> update(new StackRef("events-protected", closed), "false"))
                .isExactlyInstanceOf(StackNotUpdatableException.class)
                .hasMessageContaining("LogicalResourceId/ApiConnection");
    }

    @Test
    void aStackPolicyThatAllowsTheDeleteLetsTheUpdateThrough() {
        String policy = """
            {"Statement": [
              {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
              {"Effect": "Deny", "Action": "Update:*", "Principal": "*", "Resource": "LogicalResourceId/Queue"}]}""";
        String id = aws.cloudFormation.createStack(new StackSpec("partly-protected",
                ConsumerTemplates.rotating("prod/api-token"), Map.of(), List.of(), null, policy, null, null, null));

        assertThat(update(new StackRef("partly-protected", id), "false").result()).isEqualTo(UpdateResult.UPDATE_STARTED);
        settle();
        assertThat(aws.cloudFormation.inspect("partly-protected").status()).isEqualTo("UPDATE_COMPLETE");
    }

    @Test
    void invalidInputFailsAtOnceNamingTheField() {
        StackRef app = stack("app");
        assertThatThrownBy(() -> update(app, "maybe")).isExactlyInstanceOf(InvalidInputException.class)
                .hasMessageContaining("target");
        assertThatThrownBy(() -> update(null, "true")).isExactlyInstanceOf(InvalidInputException.class)
                .hasMessageContaining("stack");
        assertThatThrownBy(() -> update(new StackRef("app", "app"), "true"))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("stack.stackId");
        assertThatThrownBy(() -> service.update(new UpdateStackInput("run-1", app, "true", "", null)))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("parameterName");
        assertThatThrownBy(() -> service.update(new UpdateStackInput(null, app, "true", null, null)))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("runId");
        assertThat(aws.cloudFormation.inspect("app").calls()).isEmpty();
    }

    @Test
    void logsStackPhaseAndOutcomeAsJsonLines() {
        update(stack("app"), "false");

        String line = logs.toString(StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElseThrow();
        assertThat(line).startsWith("{").contains("\"stack\":\"app\"").contains("\"phase\":\"false\"")
                .contains("\"outcome\":\"UPDATE_STARTED\"").doesNotContain("s3cr3t");
    }
}
