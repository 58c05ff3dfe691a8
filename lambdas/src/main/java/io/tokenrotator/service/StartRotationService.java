package io.tokenrotator.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.contract.StartRotationOutput;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.handler.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.port.SecretsPort;

import java.util.List;
import java.util.Map;

/**
 * Starts one rotation per secret version from a Secrets Manager event (PutSecretValue, UpdateSecret,
 * RotationSucceeded via CloudTrail). Ignores puts that stage only AWSPENDING and UpdateSecret calls that made no
 * new version; names the execution after secret and version so duplicate deliveries start nothing more.
 */
public final class StartRotationService {
    private final SecretsPort secrets;
    private final ExecutionStarter starter;
    private final JsonLog log;

    public StartRotationService(SecretsPort secrets, ExecutionStarter starter, JsonLog log) {
        this.secrets = secrets;
        this.starter = starter;
        this.log = log;
    }

    public StartRotationOutput start(JsonNode event) {
        JsonNode detail = event == null ? null : event.path("detail");
        if (detail == null || !detail.isObject()) {
            throw new InvalidInputException("detail", "is missing: expected a Secrets Manager event from EventBridge");
        }
        String eventName = detail.path("eventName").asText("");
        String secretId = firstText(detail.path("responseElements").path("arn"),
                detail.path("responseElements").path("aRN"), detail.path("additionalEventData").path("SecretId"),
                detail.path("requestParameters").path("secretId"), event.path("resources").path(0));
        if (secretId == null) {
            throw new InvalidInputException("detail", "names no secret (responseElements.arn,"
                    + " additionalEventData.SecretId or requestParameters.secretId)");
        }
        JsonNode stages = detail.path("requestParameters").path("versionStages");
        if ("PutSecretValue".equals(eventName) && stages.isArray() && !contains(stages, FindStacksService.AWSCURRENT)) {
            return ignored(secretId, "PutSecretValue staged " + stages + ", not AWSCURRENT: the stacks would re-read"
                    + " the old value; RotationSucceeded starts the run when the version becomes current");
        }
        String versionId = firstText(detail.path("responseElements").path("versionId"));
        if ("UpdateSecret".equals(eventName) && versionId == null) {
            return ignored(secretId, "UpdateSecret changed no value (no new version)");
        }
        SecretsPort.SecretDescription secret = secrets.describeSecret(secretId).orElseThrow(() ->
                new InvalidInputException("detail", "names secret '" + secretId + "', which DescribeSecret cannot find"));
        if (versionId == null) {
            versionId = secret.versionIdsToStages().entrySet().stream()
                    .filter(e -> e.getValue().contains(FindStacksService.AWSCURRENT))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        }
        if (versionId == null) {
            return ignored(secret.arn(), "the secret has no AWSCURRENT version");
        }
        String name = ExecutionNames.forSecretVersion(secret.name(), secret.arn(), versionId);
        String input = Json.write(new RotationRequest(null, secret.arn(), versionId, null, null, null, null));
        ExecutionStarter.Started started = starter.start(name, input);
        boolean fresh = started == ExecutionStarter.Started.STARTED;
        log.info("rotation trigger", "event", eventName, "secret", secret.name(), "versionId", versionId,
                "execution", name, "outcome", started);
        return new StartRotationOutput(fresh, name, secret.arn(), versionId,
                fresh ? "started" : "an execution for this secret version already exists: nothing more to do");
    }

    private StartRotationOutput ignored(String secretId, String why) {
        log.info("rotation trigger ignored", "secret", secretId, "reason", why);
        return new StartRotationOutput(false, null, secretId, null, why);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : List.of(nodes)) {
            if (n != null && n.isTextual() && !n.asText().isBlank()) {
                return n.asText();
            }
        }
        return null;
    }
}
