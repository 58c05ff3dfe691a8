package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trigger construct: its rules' targets, where failures go, the alarm, and the checks on configured secrets. */
class SecretTriggerTest {
    private static final String PINNED = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-Db1234";
    private final Template template = TestApps.template(RecordedEventsRulesTest.WATCHING);
    private final JsonNode json = TestApps.JSON.valueToTree(template.toJSON());

    private JsonNode resourceOfType(String type) {
        List<JsonNode> found = new ArrayList<>();
        json.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals(type)) {
                found.add(r);
            }
        });
        assertThat(found).as(type).hasSize(1);
        return found.get(0);
    }

    private String logicalIdOf(String type, String containing) {
        for (var it = json.path("Resources").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().path("Type").asText().equals(type) && e.getKey().contains(containing)) {
                return e.getKey();
            }
        }
        throw new AssertionError("no " + type + " " + containing);
    }

    @Test
    void bothRulesTargetStartRotationWithRetriesAndTheQueueForUndeliverableEvents() {
        template.resourceCountIs("AWS::Events::Rule", 2);
        String queue = logicalIdOf("AWS::SQS::Queue", "DeadLetters");
        template.allResourcesProperties("AWS::Events::Rule", Match.objectLike(Map.of("Targets", List.of(
                Match.objectLike(Map.of(
                        "Arn", Map.of("Fn::GetAtt", List.of(logicalIdOf("AWS::Lambda::Function", "StartRotation"), "Arn")),
                        "RetryPolicy", Map.of("MaximumRetryAttempts", 8, "MaximumEventAgeInSeconds", 7200),
                        "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt", List.of(queue, "Arn")))))))));
    }

    @Test
    void aFailedInvocationGoesToTheQueueAfterLambdasTwoRetriesAndTheAlarmFiresOnIt() {
        String queue = logicalIdOf("AWS::SQS::Queue", "DeadLetters");
        String function = logicalIdOf("AWS::Lambda::Function", "StartRotation");
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", Map.of("Ref", function), "Qualifier", "$LATEST",
                "MaximumRetryAttempts", 2, "MaximumEventAgeInSeconds", 21600,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination", Map.of("Fn::GetAtt", List.of(queue, "Arn"))))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "Namespace", "AWS/SQS",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(queue, "QueueName")))),
                "Threshold", 1, "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("AlarmTopic.*"))))));
        // the function may send its failures to the queue
        String startRotationPolicies = new ArrayList<JsonNode>() {{
            json.path("Resources").forEach(r -> {
                if (r.path("Type").asText().equals("AWS::IAM::Policy") && r.toString().contains("StartRotationRole")) {
                    add(r);
                }
            });
        }}.toString();
        assertThat(startRotationPolicies).contains("sqs:SendMessage").contains(queue);
    }

    @Test
    void startRotationGetsTheWatchedListAndOnlyTheActionsItCalls() throws Exception {
        JsonNode fn = json.path("Resources").path(logicalIdOf("AWS::Lambda::Function", "StartRotation"));
        JsonNode env = fn.path("Properties").path("Environment").path("Variables");
        assertThat(env.path("STATE_MACHINE_ARN").toString()).contains("stateMachine:TokenRotator-rotation");
        assertThat(TestApps.JSON.readTree(env.path("WATCHED_SECRETS").asText()).toString()).isEqualTo(
                "[{\"arn\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token\",\"exact\":false},"
                        + "{\"arn\":\"" + PINNED + "\",\"exact\":true}]");
        String policies = json.path("Resources").toString();
        assertThat(policies).doesNotContain("GetSecretValue");
    }

    @Test
    void namesAreMatchedByEqualityAndOnlyAFullArnOfASecretWatchedByNameNeedsAPrefix() {
        JsonNode label = json.path("Resources").path(logicalIdOf("AWS::Events::Rule", "SecretLabelUpdated"))
                .path("Properties").path("EventPattern");
        assertThat(label.path("detail").path("name").toString()).isEqualTo("[\"prod/api-token\",\"prod/db-password\"]");
        assertThat(label.path("account").toString()).isEqualTo("[\"123456789012\"]");
        assertThat(label.path("region").toString()).isEqualTo("[\"eu-west-1\"]");
        JsonNode api = json.path("Resources").path(logicalIdOf("AWS::Events::Rule", "SecretApiCall"))
                .path("Properties").path("EventPattern");
        assertThat(api.path("detail").path("requestParameters").path("secretId").toString()).isEqualTo("["
                + "\"prod/api-token\",\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token\","
                + "{\"prefix\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-\"},"
                + "\"prod/db-password\",\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password\","
                + "\"" + PINNED + "\"]");
        assertThat(api.toString()).doesNotContain("responseElements").doesNotContain("RotationSucceeded");
    }

    @Test
    void secretsThatCannotBeWatchedFailSynthWithOneLineNamingThem() {
        assertThatThrownBy(() -> TestApps.stack(Map.of("secrets", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-token-AbCdEf")))
                .hasMessageStartingWith("secrets: 'arn:aws:secretsmanager:us-east-1:")
                .hasMessageContaining("region 'us-east-1'").hasMessageContaining("'eu-west-1'").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> TestApps.stack(Map.of("secrets", "arn:aws:secretsmanager:eu-west-1:210987654321:secret:prod/api-token")))
                .hasMessageContaining("account '210987654321'").hasMessageContaining("'123456789012'");
        assertThatThrownBy(() -> TestApps.stack(Map.of("secrets", "prod/api-token-AbCdEf")))
                .hasMessageStartingWith("secrets: 'prod/api-token-AbCdEf' ends in '-' and six letters or digits")
                .hasMessageContaining("full ARN of 'prod/api-token'");
        assertThatThrownBy(() -> TestApps.stack(Map.of("secrets", "prod/api token")))
                .hasMessageContaining("'prod/api token' does not name a secret");
        assertThatThrownBy(() -> TestApps.stack(Map.of("secrets", "arn:aws:ssm:eu-west-1:123456789012:parameter/x")))
                .hasMessageContaining("is not a Secrets Manager secret ARN");
    }

    @Test
    void anArnInAnEnvironmentAgnosticStackIsFlaggedAndCheckedAtRunTime() {
        App app = TestApps.app(Map.of("secrets", PINNED));
        TokenRotatorStack stack = new TokenRotatorStack(app, AppConfig.from(k -> app.getNode().tryGetContext(k)),
                StackProps.builder().build());

        Annotations.fromStack(stack).hasWarning("*", Match.stringLikeRegexp(".*'" + PINNED + "' names a region and account.*"));
    }
}
