package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenRotatorConstructTest {
    private static final Map<String, Object> WATCHING = Map.of("secrets", "prod/api-token,"
            + "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-AbCdEf");
    private final Template template = TestApps.template(WATCHING);
    private final JsonNode json = TestApps.JSON.valueToTree(template.toJSON());

    private List<JsonNode> resources(String type) {
        List<JsonNode> out = new ArrayList<>();
        json.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals(type)) {
                out.add(r);
            }
        });
        return out;
    }

    private JsonNode policyOfRole(String rolePrefix) {
        for (var it = json.path("Resources").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().path("Type").asText().equals("AWS::IAM::Policy")
                    && e.getValue().path("Properties").path("Roles").toString().contains(rolePrefix)) {
                return e.getValue().path("Properties").path("PolicyDocument");
            }
        }
        throw new AssertionError("no policy for " + rolePrefix);
    }

    @Test
    void deploysTheWorkflowFunctionsOnJava21WithTheShadedJar() {
        template.resourceCountIs("AWS::Lambda::Function", 7);
        for (String handler : List.of("FindStacks", "LoadPlannedStack", "UpdateStack", "StackStatus", "RecordResult",
                "Summarize", "StartRotation")) {
            template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                    "Handler", "io.tokenrotator.handler." + handler + "Handler::handleRequest",
                    "Runtime", "java21",
                    "TracingConfig", Map.of("Mode", "Active"))));
        }
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", "io.tokenrotator.handler.FindStacksHandler::handleRequest", "MemorySize", 1024,
                "Timeout", 900, "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "PARAMETER_NAME", "RotateToken", "MAX_CONCURRENCY", "1000", "POLL_SECONDS", "20",
                        "MAX_WAIT_MINUTES", "60", "RESTORE_ATTEMPTS", "3", "SELECTION", "all"))))));
    }

    @Test
    void everyFunctionRunsWithTheJvmOptionsTheColdStartBenchMeasures() {
        List<JsonNode> functions = resources("AWS::Lambda::Function");
        assertThat(functions).hasSize(7);
        for (JsonNode fn : functions) {
            assertThat(fn.path("Properties").path("Environment").path("Variables").path("JAVA_TOOL_OPTIONS").asText())
                    .as(fn.path("Properties").path("Handler").asText())
                    .isEqualTo(io.tokenrotator.wiring.RotatorFunction.JAVA_TOOL_OPTIONS);
        }
    }

    @Test
    void inlinesTheStateMachineDefinitionWithLoggingAndTracing() {
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "StateMachineType", "STANDARD",
                "TracingConfiguration", Map.of("Enabled", true),
                "LoggingConfiguration", Match.objectLike(Map.of("Level", "ALL")),
                "DefinitionSubstitutions", Match.objectLike(Map.of(
                        "FindStacksFunctionArn", Match.anyValue(), "UpdateStackFunctionArn", Match.anyValue())))));
        String definition = resources("AWS::StepFunctions::StateMachine").get(0).path("Properties")
                .path("DefinitionString").asText();
        assertThat(definition).contains("\"Rotate Each Stack\"").contains("${UpdateStackFunctionArn}");
        template.hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 90)));
    }

    @Test
    void theStateMachineMayInvokeOnlyItsOwnFunctions() {
        JsonNode doc = policyOfRole("StateMachineRole");
        List<JsonNode> invoke = new ArrayList<>();
        doc.path("Statement").forEach(s -> {
            if (s.path("Action").toString().contains("lambda:InvokeFunction")) {
                invoke.add(s);
            }
        });
        assertThat(invoke).hasSize(1);
        JsonNode resources = invoke.get(0).path("Resource");
        assertThat(resources).hasSize(6);
        resources.forEach(r -> assertThat(r.toString()).contains("Fn::GetAtt").contains("Arn").doesNotContain(":*"));
        assertThat(doc.toString()).contains("states:StartExecution").doesNotContain("\"lambda:*\"");
    }

    @Test
    void functionsGetOnlyTheActionsTheyCallAndNothingReadsASecretValue() {
        // "secretsmanager:*" as an action (a replica's ARN pattern has "secretsmanager:*:" for its region)
        assertThat(json.toString()).doesNotContain("GetSecretValue").doesNotContain("\"secretsmanager:*\"")
                .doesNotContain("cloudformation:*");
        assertThat(policyOfRole("UpdateStackRole").toString()).contains("cloudformation:UpdateStack")
                .contains(":stack/*/*").doesNotContain("DeleteStack");
        assertThat(policyOfRole("StackStatusRole").toString()).contains("cloudformation:DescribeStacks")
                .doesNotContain("UpdateStack");
        assertThat(policyOfRole("FindStacksRole").toString()).contains("secretsmanager:DescribeSecret")
                .contains("secret:prod/api-token-??????").contains("secret:prod/db-password-??????")
                .doesNotContain("UpdateStack");
        assertThat(policyOfRole("StartRotationRole").toString()).contains("states:StartExecution")
                .contains("secretsmanager:DescribeSecret").doesNotContain("cloudformation");
    }

    @Test
    void aStackNamePrefixScopesTheUpdatePermission() {
        Template scoped = TestApps.template(Map.of("stackNamePrefix", "team-a-"));
        String policies = TestApps.JSON.valueToTree(scoped.toJSON()).toString();
        assertThat(policies).contains(":stack/team-a-*/*");
        scoped.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment",
                Map.of("Variables", Match.objectLike(Map.of("STACK_NAME_PREFIX", "team-a-"))))));
    }

    @Test
    void synthWarnsThatAnUnscopedDeploymentMayUpdateAnyStackAndNotOnceAPrefixIsSet() {
        software.amazon.awscdk.assertions.Annotations.fromStack(TestApps.stack(Map.of()))
                .hasWarning("*", Match.stringLikeRegexp(".*stackNamePrefix is not set: the Update Stack function may"
                        + " update any stack.*"));
        software.amazon.awscdk.assertions.Annotations.fromStack(TestApps.stack(Map.of("stackNamePrefix", "team-a-")))
                .hasNoWarning("*", Match.stringLikeRegexp(".*stackNamePrefix is not set.*"));
    }

    @Test
    void withoutWatchedSecretsThereIsNoTriggerOnlyManualStarts() {
        Template manual = TestApps.template(Map.of());
        manual.resourceCountIs("AWS::Events::Rule", 0);
        manual.resourceCountIs("AWS::Lambda::Function", 6);
        manual.resourceCountIs("AWS::CloudTrail::Trail", 0);
    }

    @Test
    void anAlarmOnFailedTimedOutOrAbortedExecutionsNotifiesTheTopic() {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Threshold", 1, "EvaluationPeriods", 1, "TreatMissingData", "notBreaching",
                "Metrics", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Expression", "failed + timedOut + aborted"))))
                , "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("AlarmTopic.*"))))));
        assertThat(json.toString()).contains("ExecutionsFailed").contains("ExecutionsTimedOut");
        template.resourceCountIs("AWS::SNS::Topic", 1);
    }

    @Test
    void aGivenTopicReceivesTheAlarmsAndNoTopicIsCreated() {
        Template given = TestApps.template(Map.of("alarmTopicArn", "arn:aws:sns:eu-west-1:123456789012:ops"));
        given.resourceCountIs("AWS::SNS::Topic", 0);
        given.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmActions", List.of("arn:aws:sns:eu-west-1:123456789012:ops"))));
    }

    @Test
    void aTrailIsCreatedOnlyWhenAskedFor() {
        Template withTrail = TestApps.template(Map.of("createTrail", "true", "secrets", "prod/api-token"));
        withTrail.resourceCountIs("AWS::CloudTrail::Trail", 1);
        withTrail.hasResourceProperties("AWS::CloudTrail::Trail", Match.objectLike(Map.of(
                "IsLogging", true, "EnableLogFileValidation", true)));
        template.resourceCountIs("AWS::CloudTrail::Trail", 0);
    }

    @Test
    void cdkNagAwsSolutionsFindsNothingUnacknowledged() {
        for (Map<String, Object> config : List.of(Map.<String, Object>of(), WATCHING,
                Map.<String, Object>of("createTrail", "true", "secrets", "prod/api-token", "alarmEmail", "ops@example.com"))) {
            Stack stack = TestApps.stack(config);
            PolicyValidationPluginReport report = new AwsSolutionsChecks().validateScope(stack);
            List<String> findings = new ArrayList<>();
            for (PolicyViolation v : report.getViolations()) {
                v.getViolatingResources().forEach(r -> findings.add(v.getRuleName() + " " + r.getConstructPath()));
            }
            assertThat(findings).as(config.toString()).isEmpty();
            assertThat(report.getSuccess()).isTrue();
        }
    }

    @Test
    void synthesisIsIdenticalRunToRun() {
        App first = TestApps.app(WATCHING);
        new TokenRotatorStack(first, AppConfig.from(k -> first.getNode().tryGetContext(k)), TestApps.ENV);
        App second = TestApps.app(WATCHING);
        new TokenRotatorStack(second, AppConfig.from(k -> second.getNode().tryGetContext(k)), TestApps.ENV);

        String a = first.synth().getStackByName("TokenRotator").getTemplate().toString();
        String b = second.synth().getStackByName("TokenRotator").getTemplate().toString();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void badConfigurationNamesTheSetting() {
        assertThatThrownBy(() -> TestApps.stack(Map.of("maxConcurrency", "lots")))
                .hasMessageContaining("maxConcurrency");
        assertThatThrownBy(() -> TestApps.stack(Map.of("maxConcurrency", "0"))).hasMessageContaining("maxConcurrency");
        assertThatThrownBy(() -> TestApps.stack(Map.of("selection", "referencing")))
                .hasMessageContaining("selection").hasMessageContaining("secret");
        assertThatThrownBy(() -> TestApps.stack(Map.of("parameterName", "Rotate-Token")))
                .hasMessageContaining("parameterName");
        // 5-second polls for 12 hours a phase could overflow a stack's execution history: refused at synth
        assertThatThrownBy(() -> TestApps.stack(Map.of("pollSeconds", "5", "maxWaitMinutes", "720")))
                .hasMessageContaining("CDK context maxWaitMinutes").hasMessageContaining("25000");
        TestApps.stack(Map.of("pollSeconds", "60", "maxWaitMinutes", "180")); // 180 checks a phase: fine
        assertThatThrownBy(() -> TestApps.stack(Map.of("createTrail", "yes"))).hasMessageContaining("createTrail");
        assertThatThrownBy(() -> TestApps.stack(Map.of("secrets", "arn:aws:s3:::bucket")))
                .hasMessageContaining("secrets");
    }

    @Test
    void settingsFromContextReachTheFunctions() {
        Template custom = TestApps.template(Map.of("maxConcurrency", 200, "pollSeconds", "45",
                "restoreAttempts", 5, "parameterName", "Rotate", "selection", "referencing", "secrets", List.of("s")));
        custom.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment", Map.of(
                "Variables", Match.objectLike(Map.of("MAX_CONCURRENCY", "200", "POLL_SECONDS", "45",
                        "RESTORE_ATTEMPTS", "5", "PARAMETER_NAME", "Rotate", "SELECTION", "referencing"))))));
    }
}
