package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.tokenrotator.credential.ManagedCredentials;
import io.tokenrotator.wiring.RotatorFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.secretsmanager.Secret;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The credential lifecycle as the construct deploys it, from cdk.json's {@code credentials} or the props. */
class CredentialLifecycleConstructTest {
    private static final String LIFECYCLE_ARN =
            "arn:aws:states:eu-west-1:123456789012:stateMachine:TokenRotator-credential-lifecycle";
    private static final Map<String, Object> MANAGING = Map.of("credentials", List.of(
            Map.of("secret", "prod/deploy-bot-key", "userName", "deploy-bot"),
            Map.of("secret", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/ci-key-AbCdEf",
                    "userName", "ci", "schedule", "cron(0 3 ? * MON *)", "quietPeriodHours", 48,
                    "gracePeriodDays", 14)));
    private final TokenRotatorStack stack = TestApps.stack(MANAGING);
    private final Template template = Template.fromStack(stack);
    private final JsonNode json = TestApps.JSON.valueToTree(template.toJSON());

    private String logicalId(software.constructs.IConstruct c) {
        return stack.getLogicalId(c instanceof CfnElement e ? e : (CfnElement) c.getNode().getDefaultChild());
    }

    private JsonNode resource(String logicalId) {
        return json.path("Resources").path(logicalId);
    }

    private JsonNode policyOf(String roleLogicalId) {
        for (JsonNode r : json.path("Resources")) {
            if (r.path("Type").asText().equals("AWS::IAM::Policy")
                    && r.path("Properties").path("Roles").toString().equals("[{\"Ref\":\"" + roleLogicalId + "\"}]")) {
                return r.path("Properties").path("PolicyDocument");
            }
        }
        throw new AssertionError("no policy for " + roleLogicalId);
    }

    @Test
    void withoutCredentialsNothingOfTheLifecycleIsCreatedAndTheTemplateIsTheSame() {
        TokenRotatorStack none = TestApps.stack(Map.of());
        Map<String, Object> withoutKey = TestApps.cdkJsonContext();
        withoutKey.remove("credentials");
        App app = new App(software.amazon.awscdk.AppProps.builder().context(withoutKey).build());
        TokenRotatorStack noKey = new TokenRotatorStack(app, AppConfig.from(k -> app.getNode().tryGetContext(k)),
                TestApps.ENV);
        JsonNode withEmptyList = TestApps.JSON.valueToTree(Template.fromStack(none).toJSON());

        assertThat(TestApps.cdkJsonContext().get("credentials")).as("cdk.json's default").isEqualTo(List.of());
        assertThat(withEmptyList).isEqualTo(TestApps.JSON.valueToTree(Template.fromStack(noKey).toJSON()));
        Template.fromStack(none).resourceCountIs("AWS::Scheduler::Schedule", 0);
        Template.fromStack(none).resourceCountIs("AWS::StepFunctions::StateMachine", 1);
        Template.fromStack(none).resourceCountIs("AWS::Lambda::Function", 6);
        withEmptyList.path("Resources").fieldNames().forEachRemaining(id -> assertThat(id)
                .doesNotContain("Lifecycle").doesNotContain("Cycle").doesNotContain("Credential")
                .doesNotContain("Schedule"));
        assertThat(withEmptyList.path("Outputs").has(TokenRotatorStack.LIFECYCLE_OUTPUT)).isFalse();
        assertThat(withEmptyList.toString()).doesNotContain("MANAGED_CREDENTIALS").doesNotContain("iam:");
        assertThat(none.rotator.lifecycleStateMachine).isNull();
        assertThat(none.rotator.lifecycleLogGroup).isNull();
        assertThat(none.rotator.failedCyclesAlarm).isNull();
        assertThat(none.rotator.lifecycleFunctions).isEmpty();
        assertThat(none.rotator.credentialSchedules).isEmpty();
    }

    @Test
    void eachCredentialGetsAScheduleThatStartsTheLifecycleWithItsSecretAndNothingElse() {
        template.resourceCountIs("AWS::Scheduler::Schedule", 2);
        JsonNode first = resource(logicalId(stack.rotator.credentialSchedules.get(0))).path("Properties");
        JsonNode second = resource(logicalId(stack.rotator.credentialSchedules.get(1))).path("Properties");

        assertThat(first.path("ScheduleExpression").asText()).isEqualTo("rate(90 days)");
        assertThat(second.path("ScheduleExpression").asText()).isEqualTo("cron(0 3 ? * MON *)");
        assertThat(first.path("FlexibleTimeWindow").toString()).isEqualTo("{\"Mode\":\"OFF\"}");
        assertThat(first.path("State").asText()).isEqualTo("ENABLED");
        assertThat(first.path("Target").path("Arn").asText()).isEqualTo(LIFECYCLE_ARN);
        assertThat(first.path("Target").path("Input").asText()).isEqualTo("{\"secretId\":\"prod/deploy-bot-key\"}");
        assertThat(second.path("Target").path("Input").asText()).isEqualTo(
                "{\"secretId\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/ci-key-AbCdEf\"}");

        String role = first.path("Target").path("RoleArn").path("Fn::GetAtt").get(0).asText();
        JsonNode trust = resource(role).path("Properties").path("AssumeRolePolicyDocument").path("Statement").get(0);
        assertThat(trust.path("Principal").path("Service").asText()).isEqualTo("scheduler.amazonaws.com");
        assertThat(trust.path("Condition").path("StringEquals").path("aws:SourceAccount").asText())
                .isEqualTo("123456789012");
        JsonNode statements = policyOf(role).path("Statement");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0).path("Action").asText()).isEqualTo("states:StartExecution");
        assertThat(statements.get(0).path("Resource").asText()).isEqualTo(LIFECYCLE_ARN);
    }

    @Test
    void theLifecycleDefinitionIsTheShippedAslWithItsFourFunctionsSubstituted() throws IOException {
        JsonNode machine = resource(logicalId(stack.rotator.lifecycleStateMachine)).path("Properties");
        String shipped = Files.readString(ProjectPaths.root().resolve("statemachine/credential-lifecycle.asl.json"));
        Map<String, String> substitutions = new TreeMap<>();
        machine.path("DefinitionSubstitutions").fields().forEachRemaining(e -> substitutions.put(e.getKey(),
                NagAcknowledgements.flatten(TestApps.JSON.convertValue(e.getValue(), Object.class))));
        Map<String, String> expected = new TreeMap<>();
        for (RotatorFunction f : RotatorFunction.lifecycle()) {
            expected.put(f.placeholder(), "<" + logicalId(stack.rotator.lifecycleFunctions.get(f.placeholder()))
                    + ".Arn>");
        }

        assertThat(substitutions).isEqualTo(expected).hasSize(4);
        String deployed = machine.path("DefinitionString").asText();
        String substituted = deployed;
        for (var e : substitutions.entrySet()) {
            substituted = substituted.replace("${" + e.getKey() + "}", e.getValue());
        }
        String expectedDefinition = shipped;
        for (var e : expected.entrySet()) {
            expectedDefinition = expectedDefinition.replace("${" + e.getKey() + "}", e.getValue());
        }
        assertThat(substituted).isEqualTo(expectedDefinition).doesNotContain("${");
        assertThat(deployed).isEqualTo(shipped);
        assertThat(machine.path("StateMachineName").asText()).isEqualTo("TokenRotator-credential-lifecycle");
        assertThat(machine.path("StateMachineType").asText()).isEqualTo("STANDARD");
        assertThat(machine.path("TracingConfiguration").path("Enabled").asBoolean()).isTrue();
        assertThat(machine.path("LoggingConfiguration").path("Level").asText()).isEqualTo("ALL");
        assertThat(resource(logicalId(stack.rotator.lifecycleLogGroup)).path("Properties").path("LogGroupName")
                .asText()).isEqualTo("/aws/vendedlogs/states/TokenRotator-credential-lifecycle");
        assertThat(json.path("Outputs").path(TokenRotatorStack.LIFECYCLE_OUTPUT).path("Value").path("Ref").asText())
                .isEqualTo(logicalId(stack.rotator.lifecycleStateMachine));
    }

    @Test
    void theDeployedLifecycleDefinitionPassesTheAslValidatorOnceSubstituted() throws Exception {
        String definition = resource(logicalId(stack.rotator.lifecycleStateMachine)).path("Properties")
                .path("DefinitionString").asText();
        for (String placeholder : stack.rotator.lifecycleFunctions.keySet()) {
            definition = definition.replace("${" + placeholder + "}",
                    "arn:aws:lambda:eu-west-1:123456789012:function:" + placeholder);
        }
        java.nio.file.Path file = Files.createTempFile("credential-lifecycle", ".asl.json");
        Files.writeString(file, definition);
        java.nio.file.Path validator = ProjectPaths.root().resolve("node_modules/.bin/asl-validator");
        assertThat(validator).as("run 'npm install' at the root (the Maven build does)").exists();
        Process p = new ProcessBuilder(validator.toString(), "--json-path", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(definition).doesNotContain("${");
    }

    @Test
    void theLifecycleMayInvokeOnlyItsFourFunctions() {
        String role = resource(logicalId(stack.rotator.lifecycleStateMachine)).path("Properties").path("RoleArn")
                .path("Fn::GetAtt").get(0).asText();
        List<String> invoked = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (JsonNode st : policyOf(role).path("Statement")) {
            st.path("Action").forEach(a -> actions.add(a.asText()));
            if (st.path("Action").asText().equals("lambda:InvokeFunction")) {
                st.path("Resource").forEach(r -> invoked.add(NagAcknowledgements.flatten(
                        TestApps.JSON.convertValue(r, Object.class))));
            }
        }
        assertThat(invoked).containsExactlyInAnyOrderElementsOf(stack.rotator.lifecycleFunctions.values().stream()
                .map(fn -> "<" + logicalId(fn) + ".Arn>").toList());
        assertThat(actions).noneMatch(a -> a.startsWith("states:") || a.startsWith("iam:")
                || a.startsWith("secretsmanager:"));
    }

    @Test
    void theFourFunctionsRunTheSharedJarWithTheManagedCredentialsAndCreateOutlastsItsTask() throws IOException {
        Map<String, JsonNode> byHandler = new HashMap<>();
        for (Function fn : stack.rotator.lifecycleFunctions.values()) {
            JsonNode p = resource(logicalId(fn)).path("Properties");
            byHandler.put(p.path("Handler").asText(), p);
        }
        assertThat(byHandler.keySet()).containsExactlyInAnyOrderElementsOf(RotatorFunction.lifecycle().stream()
                .map(RotatorFunction::handlerName).toList());
        String bucket = logicalId(stack.rotator.runBucket);
        ManagedCredentials configured = null;
        for (JsonNode p : byHandler.values()) {
            JsonNode env = p.path("Environment").path("Variables");
            assertThat(p.path("Runtime").asText()).isEqualTo("java21");
            assertThat(env.path("RUN_BUCKET").path("Ref").asText()).isEqualTo(bucket);
            configured = ManagedCredentials.parse(env.path("MANAGED_CREDENTIALS").asText(), "MANAGED_CREDENTIALS");
        }
        assertThat(configured.all()).extracting(c -> c.secretId() + " " + c.userName() + " " + c.quietPeriodSeconds()
                + " " + c.gracePeriodSeconds()).containsExactly(
                "prod/deploy-bot-key deploy-bot 86400 604800",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/ci-key-AbCdEf ci 172800 1209600");
        assertThat(byHandler.get(RotatorFunction.PROPAGATE_CREDENTIAL.handlerName()).path("Environment")
                .path("Variables").path("STATE_MACHINE_ARN").asText())
                .isEqualTo("arn:aws:states:eu-west-1:123456789012:stateMachine:TokenRotator-rotation");
        assertThat(byHandler.get(RotatorFunction.BEGIN_CYCLE.handlerName()).path("Environment").path("Variables")
                .has("STATE_MACHINE_ARN")).isFalse();

        // the Lambda timeout against the Task's TimeoutSeconds of every state that invokes the function
        JsonNode asl = TestApps.JSON.readTree(ProjectPaths.root().resolve("statemachine/credential-lifecycle.asl.json")
                .toFile());
        int checked = 0;
        for (RotatorFunction f : RotatorFunction.lifecycle()) {
            int lambdaTimeout = byHandler.get(f.handlerName()).path("Timeout").asInt();
            for (JsonNode state : AslStates.of(asl).values()) {
                if (state.path("Resource").asText().equals("${" + f.placeholder() + "}")) {
                    int task = state.path("TimeoutSeconds").asInt();
                    if (f == RotatorFunction.CREATE_CREDENTIAL) {
                        assertThat(task).isEqualTo(300);
                        assertThat(lambdaTimeout).as(f.id()).isGreaterThan(task);
                    } else {
                        assertThat(lambdaTimeout).as(f.id()).isLessThan(task);
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
    }

    @Test
    void anAlarmOnFailedLifecycleExecutionsNotifiesTheTopic() {
        JsonNode alarm = resource(logicalId(stack.rotator.failedCyclesAlarm)).path("Properties");
        String machine = logicalId(stack.rotator.lifecycleStateMachine);
        List<String> metrics = new ArrayList<>();
        alarm.path("Metrics").forEach(m -> {
            JsonNode stat = m.path("MetricStat").path("Metric");
            if (!stat.isMissingNode()) {
                assertThat(stat.path("Dimensions").get(0).path("Value").path("Ref").asText()).isEqualTo(machine);
                metrics.add(stat.path("MetricName").asText());
            }
        });
        assertThat(metrics).containsExactlyInAnyOrder("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted");
        assertThat(alarm.path("AlarmActions").toString()).contains("AlarmTopic");
        assertThat(alarm.path("Threshold").asInt()).isEqualTo(1);
    }

    @Test
    void cdkNagAwsSolutionsFindsNothingUnacknowledgedWithManagedCredentials() {
        for (Map<String, Object> config : List.of(MANAGING, Map.<String, Object>of("secrets", "prod/api-token",
                "credentials", "[{\"secret\": \"prod/deploy-bot-key\", \"userName\": \"deploy-bot\"}]"))) {
            PolicyValidationPluginReport report = new AwsSolutionsChecks().validateScope(TestApps.stack(config));
            List<String> findings = new ArrayList<>();
            for (PolicyViolation v : report.getViolations()) {
                v.getViolatingResources().forEach(r -> findings.add(v.getRuleName() + " " + r.getConstructPath()));
            }
            assertThat(findings).as(config.toString()).isEmpty();
        }
    }

    @Test
    void anISecretIsManagedByItsArnAndItsPartialArnsPattern() {
        App app = TestApps.app(Map.of());
        Stack own = new Stack(app, "Own", TestApps.ENV);
        TokenRotator rotator = new TokenRotator(own, "TokenRotator", TokenRotatorProps.builder()
                .managedCredentials(List.of(ManagedCredentialProps.builder()
                        .secret(Secret.fromSecretNameV2(own, "Key", "prod/deploy-bot-key")).userName("deploy-bot")
                        .quietPeriod(Duration.hours(6)).build()))
                .build());
        String doc = TestApps.JSON.valueToTree(Template.fromStack(own).toJSON()).toString();

        assertThat(rotator.credentialSchedules).hasSize(1);
        assertThat(doc).contains("secret:prod/deploy-bot-key-??????")
                .contains("{\\\"secretId\\\":\\\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/deploy-bot-key\\\"}")
                .contains("\\\"quietPeriodSeconds\\\":21600");
    }

    @Test
    void eachBadCredentialFailsSynthInOneLineNamingTheEntry() {
        ManagedCredentialProps good = ManagedCredentialProps.builder().secret("prod/key").userName("bot").build();
        List<Object[]> cases = List.of(
                new Object[] {ManagedCredentialProps.builder().userName("bot").build(), "entry 1: give the secret"},
                new Object[] {ManagedCredentialProps.builder().secret("prod/other").build(), "entry 1: userName is missing"},
                new Object[] {ManagedCredentialProps.builder().secret("prod/other").userName("a b").build(),
                        "entry 1: userName 'a b' is not an IAM user name"},
                new Object[] {ManagedCredentialProps.builder().secret("prod/other").userName("bot")
                        .schedule("every 90 days").build(), "entry 1: schedule 'every 90 days' is not an EventBridge"},
                new Object[] {ManagedCredentialProps.builder().secret("prod/other").userName("bot")
                        .schedule("rate(0 days)").build(), "entry 1: schedule 'rate(0 days)'"},
                new Object[] {ManagedCredentialProps.builder().secret("prod/other").userName("bot")
                        .quietPeriod(Duration.days(31)).build(), "entry 1: quietPeriod must be 0 seconds to 30 days"},
                new Object[] {ManagedCredentialProps.builder().secret("prod/other").userName("bot")
                        .gracePeriod(Duration.days(91)).build(), "entry 1: gracePeriod must be 0 seconds to 90 days"},
                new Object[] {ManagedCredentialProps.builder().secret("prod/other").userName("bot")
                        .quietPeriod(Duration.millis(1500)).build(), "entry 1: quietPeriod must be a whole number"},
                new Object[] {ManagedCredentialProps.builder().secret("prod/key").userName("other").build(),
                        "entry 1: secret prod/key is already managed"});
        for (Object[] c : cases) {
            assertThatThrownBy(() -> TokenRotatorProps.builder()
                    .managedCredentials(List.of(good, (ManagedCredentialProps) c[0])).build())
                    .as((String) c[1]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("managedCredentials " + c[1]).hasMessageNotContaining("\n");
        }
        // the secret itself is checked where the stack's region and account are known
        assertThatThrownBy(() -> new TokenRotator(new Stack(TestApps.app(Map.of()), "S", TestApps.ENV), "R",
                TokenRotatorProps.builder().managedCredentials(List.of(ManagedCredentialProps.builder()
                        .secret("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/key-AbCdEf").userName("bot")
                        .build())).build()))
                .hasMessageStartingWith("managedCredentials entry 0: secret 'arn:aws:secretsmanager:us-east-1")
                .hasMessageContaining("region");
    }

    @Test
    void badCredentialsInTheContextNameTheKeyAndTheEntry() {
        assertThatThrownBy(() -> TestApps.stack(Map.of("credentials", List.of(Map.of("secret", "a", "userName", "b"),
                Map.of("secret", "c", "usrName", "d")))))
                .hasMessage("CDK context credentials entry 1: unknown field 'usrName' (expected secret, userName,"
                        + " schedule, quietPeriodHours, gracePeriodDays)");
        assertThatThrownBy(() -> TestApps.stack(Map.of("credentials", List.of(Map.of("secret", "a", "userName", "b",
                "quietPeriodHours", 1000)))))
                .hasMessage("CDK context credentials entry 0: quietPeriodHours: expected a whole number from 0 to 720,"
                        + " got 1000");
        assertThatThrownBy(() -> TestApps.stack(Map.of("credentials", List.of(Map.of("secret", "a",
                "gracePeriodDays", "soon")))))
                .hasMessageStartingWith("CDK context credentials entry 0: gracePeriodDays: expected a whole number");
        assertThatThrownBy(() -> TestApps.stack(Map.of("credentials", List.of(Map.of("secret", "a")))))
                .hasMessageStartingWith("CDK context credentials entry 0: userName is missing");
        assertThatThrownBy(() -> TestApps.stack(Map.of("credentials", "prod/key")))
                .hasMessageStartingWith("CDK context credentials: expected a JSON list");
        assertThatThrownBy(() -> TestApps.stack(Map.of("credentials", List.of(Map.of("secret", "a", "userName", "b",
                "schedule", "daily")))))
                .hasMessageStartingWith("CDK context credentials entry 0: schedule 'daily'");
        // from -c the list arrives as JSON text
        TokenRotatorStack fromText = TestApps.stack(Map.of("credentials",
                "[{\"secret\": \"prod/key\", \"userName\": \"bot\", \"gracePeriodDays\": 0}]"));
        assertThat(fromText.rotator.credentialSchedules).hasSize(1);
    }
}
