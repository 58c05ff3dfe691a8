package io.tokenrotator.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.contract.StartRotationOutput;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.testing.SimulatedAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartRotationServiceTest {
    /** Step Functions' rule: one execution per name. */
    static final class FakeStepFunctions implements ExecutionStarter {
        final Map<String, String> executions = new LinkedHashMap<>();

        @Override
        public Started start(String name, String inputJson) {
            return executions.putIfAbsent(name, inputJson) == null ? Started.STARTED : Started.ALREADY_EXISTS;
        }

        @Override
        public Optional<String> status(String name) {
            return executions.containsKey(name) ? Optional.of("RUNNING") : Optional.empty();
        }
    }

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    private final SimulatedAws aws = new SimulatedAws();
    private final FakeStepFunctions sfn = new FakeStepFunctions();
    private final StartRotationService service = new StartRotationService(aws.secretsPort(), sfn,
            WatchedSecrets.fromEnvironment(Map.of(WatchedSecrets.VARIABLE,
                    "[{\"arn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-token\", \"exact\": false}]")::get),
            new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
    private final String arn = aws.secrets.createSecret("prod/api-token", "s3cr3t-value-1");

    @AfterEach
    void close() {
        aws.close();
    }

    private static JsonNode event(String detailType, String detailJson) throws Exception {
        return Json.MAPPER.readTree("{\"version\": \"0\", \"detail-type\": \"" + detailType + "\", \"source\":"
                + " \"aws.secretsmanager\", \"account\": \"123456789012\", \"region\": \"us-east-1\","
                + " \"resources\": [], \"detail\": " + detailJson + "}");
    }

    private static JsonNode putSecretValue(String secretId, String arn, String versionId, String stagesJson)
            throws Exception {
        return event("AWS API Call via CloudTrail", """
            {"eventSource": "secretsmanager.amazonaws.com", "eventName": "PutSecretValue",
             "requestParameters": {"secretId": "%s", "clientRequestToken": "%s"%s},
             "responseElements": {"arn": "%s", "versionId": "%s"}}""".formatted(secretId, versionId,
                stagesJson == null ? "" : ", \"versionStages\": " + stagesJson, arn, versionId));
    }

    @Test
    void aPutSecretValueStartsOneRotationForThatVersion() throws Exception {
        String version = aws.secrets.putSecretValue("prod/api-token", "s3cr3t-value-2", null);

        StartRotationOutput out = service.start(putSecretValue("prod/api-token", arn, version, null));

        assertThat(out.started()).isTrue();
        assertThat(out.executionName()).isEqualTo(ExecutionNames.forSecretVersion("prod/api-token", arn, version))
                .startsWith("prod-api-token-").hasSizeLessThanOrEqualTo(80).matches("[A-Za-z0-9_-]+");
        assertThat(Json.MAPPER.readTree(sfn.executions.get(out.executionName())).path("secretId").asText()).isEqualTo(arn);
        assertThat(Json.MAPPER.readTree(sfn.executions.get(out.executionName())).path("versionId").asText())
                .isEqualTo(version);
    }

    @Test
    void duplicateDeliveriesOfTheSameVersionStartNothingMore() throws Exception {
        String version = aws.secrets.putSecretValue("prod/api-token", "s3cr3t-value-2", null);
        JsonNode event = putSecretValue("prod/api-token", arn, version, null);

        service.start(event);
        StartRotationOutput again = service.start(event);
        StartRotationOutput byOtherId = service.start(putSecretValue(arn, arn, version, null));

        assertThat(again.started()).isFalse();
        assertThat(again.detail()).contains("already exists");
        assertThat(byOtherId.started()).isFalse();
        assertThat(sfn.executions).hasSize(1);
    }

    @Test
    void aPutThatStagesOnlyAwsPendingStartsNothing() throws Exception {
        String pending = aws.secrets.putSecretValue("prod/api-token", "next", List.of(SecretsManagerModel.AWSPENDING));

        StartRotationOutput out = service.start(putSecretValue("prod/api-token", arn, pending, "[\"AWSPENDING\"]"));

        assertThat(out.started()).isFalse();
        assertThat(out.detail()).contains("AWSPENDING").contains("not AWSCURRENT");
        assertThat(sfn.executions).isEmpty();
    }

    @Test
    void rotationSucceededRotatesForTheVersionThatIsNowCurrent() throws Exception {
        String pending = aws.secrets.putSecretValue("prod/api-token", "next", List.of(SecretsManagerModel.AWSPENDING));
        aws.secrets.promote("prod/api-token", pending);

        StartRotationOutput out = service.start(event("AWS Service Event via CloudTrail", """
            {"eventSource": "secretsmanager.amazonaws.com", "eventName": "RotationSucceeded",
             "additionalEventData": {"SecretId": "%s"}}""".formatted(arn)));

        assertThat(out.started()).isTrue();
        assertThat(out.versionId()).isEqualTo(pending);
    }

    @Test
    void anUpdateSecretWithoutVersionIdMapsToTheCurrentVersionWhichRunsOnce() throws Exception {
        String version = aws.secrets.putSecretValue("prod/api-token", "s3cr3t-value-2", null);
        JsonNode update = event("AWS API Call via CloudTrail", """
            {"eventName": "UpdateSecret", "requestParameters": {"secretId": "prod/api-token", "description": "x"},
             "responseElements": {"arn": "%s", "name": "prod/api-token"}}""".formatted(arn));

        StartRotationOutput first = service.start(update);
        StartRotationOutput metadataOnly = service.start(update);

        assertThat(first.started()).isTrue();
        assertThat(first.versionId()).isEqualTo(version);
        assertThat(metadataOnly.started()).isFalse();
        assertThat(metadataOnly.detail()).contains("already exists");
        assertThat(sfn.executions).hasSize(1);
    }

    @Test
    void aSecretThatIsNotWatchedIsIgnoredWithALogLineAndNoDescribeSecret() throws Exception {
        String other = aws.secrets.createSecret("prod/api-token-2", "other-value");
        long describes = aws.server.callCounts().getOrDefault("DescribeSecret", 0L);

        StartRotationOutput out = service.start(putSecretValue(other, other, "v", null));

        assertThat(out.started()).isFalse();
        assertThat(out.detail()).isEqualTo("not a watched secret");
        assertThat(sfn.executions).isEmpty();
        assertThat(aws.server.callCounts().getOrDefault("DescribeSecret", 0L)).isEqualTo(describes);
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("\"message\":\"rotation trigger ignored\"")
                .contains(other).contains("not a watched secret").doesNotContain("other-value");
    }

    @Test
    void aBadWatchedListFailsAtStartWithOneLineNamingTheVariable() {
        assertThatThrownBy(() -> WatchedSecrets.fromEnvironment(Map.<String, String>of()::get))
                .hasMessage("environment variable WATCHED_SECRETS is not set: expected a JSON list of {\"arn\", \"exact\"}");
        assertThatThrownBy(() -> WatchedSecrets.fromEnvironment(Map.of(WatchedSecrets.VARIABLE, "prod/api-token")::get))
                .hasMessageStartingWith("environment variable WATCHED_SECRETS is not a JSON list");
        assertThatThrownBy(() -> WatchedSecrets.fromEnvironment(Map.of(WatchedSecrets.VARIABLE,
                "[{\"arn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-token\", \"exact\": false}]",
                "AWS_REGION", "eu-west-1")::get))
                .hasMessageContaining("is in region us-east-1, but this function runs in eu-west-1");
        assertThatThrownBy(() -> WatchedSecrets.fromEnvironment(Map.of(WatchedSecrets.VARIABLE,
                "[{\"arn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-token\", \"exact\": true}]")::get))
                .hasMessageContaining("is not a full Secrets Manager secret ARN");
    }

    @Test
    void anEventWithoutASecretIsRejectedClearly() {
        assertThatThrownBy(() -> service.start(event("AWS API Call via CloudTrail", "{\"eventName\": \"PutSecretValue\"}")))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("secretId");
        assertThatThrownBy(() -> service.start(Json.MAPPER.readTree("{}")))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("detail");
    }
}
