package io.tokenrotator.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.contract.StartRotationOutput;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.port.SecretsPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The trigger's target: from a Secrets Manager event, starts one rotation per AWSCURRENT version of a watched secret.
 *
 * <p>Events as they arrive (Secrets Manager user guide, "Secret event notifications" and "CloudTrail entries"):
 * <ul>
 *   <li>{@code Secret Label Updated}: {@code detail: {name, labelUpdated, versionId}}, {@code resources: [arn]};</li>
 *   <li>{@code AWS API Call via CloudTrail}: PutSecretValue, UpdateSecret, UpdateSecretVersionStage with
 *       {@code requestParameters.secretId} as the caller passed it; {@code responseElements} may be null, {@code {arn}}
 *       only, or use the key {@code aRN}; {@code errorCode} on a failed call;</li>
 *   <li>{@code AWS Service Event via CloudTrail}: RotationSucceeded with {@code additionalEventData.SecretId}.</li>
 * </ul>
 * It never trusts a version or stage the event may lack: it ignores what the event proves did not move AWSCURRENT
 * (a failed call, a put that staged only other labels, another label), checks the secret against the watched list
 * (by the event's identifiers, then by DescribeSecret's canonical ARN), and starts the version DescribeSecret reports
 * as AWSCURRENT, named after secret and version, so every rule and duplicate delivery for that version starts one
 * execution in all.
 */
public final class StartRotationService {
    private static final String LABEL_UPDATED = "Secret Label Updated";
    private static final String API_CALL = "AWS API Call via CloudTrail";
    private static final String SERVICE_EVENT = "AWS Service Event via CloudTrail";

    private final SecretsPort secrets;
    private final RotationStarts starts;
    private final WatchedSecrets watched;
    private final JsonLog log;

    public StartRotationService(SecretsPort secrets, ExecutionStarter starter, WatchedSecrets watched, JsonLog log) {
        this.secrets = secrets;
        this.starts = new RotationStarts(starter);
        this.watched = watched;
        this.log = log;
    }

    /** What the event says: the secret identifiers it carries, most specific first, or why it moved nothing. */
    private record Change(String eventName, List<String> secretIds, String notMoved) {}

    public StartRotationOutput start(JsonNode event) {
        JsonNode detail = event == null ? null : event.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new InvalidInputException("detail", "is missing: expected a Secrets Manager event from EventBridge");
        }
        Change change = read(event.path("detail-type").asText(""), detail, event);
        if (change.secretIds().isEmpty()) {
            throw new InvalidInputException("detail", "names no secret (resources[0], requestParameters.secretId,"
                    + " responseElements.arn or additionalEventData.SecretId)");
        }
        change.secretIds().forEach(id -> InputRules.secretId("detail", id));
        String firstId = change.secretIds().get(0);
        if (change.notMoved() != null) {
            return ignored(change, firstId, change.notMoved());
        }
        if (!watched.inScope(event.path("account").asText(""), event.path("region").asText(""))) {
            return ignored(change, firstId, "the event is from account " + event.path("account").asText()
                    + ", region " + event.path("region").asText() + ": no watched secret is there");
        }
        // a full ARN names exactly one secret: decide on it alone; otherwise any name or partial ARN may do
        List<String> decisive = WatchedSecrets.isFullArn(firstId) ? List.of(firstId) : change.secretIds();
        if (decisive.stream().noneMatch(watched::mayName)) {
            return ignored(change, firstId, "not a watched secret");
        }
        SecretsPort.SecretDescription secret = secrets.describeSecret(firstId).orElseThrow(() ->
                new InvalidInputException("detail", "names secret '" + firstId + "', which DescribeSecret cannot find"));
        if (!watched.watches(secret.arn())) {
            return ignored(change, secret.arn(), "not a watched secret (DescribeSecret: " + secret.name() + ")");
        }
        Optional<String> version = secret.currentVersion();
        if (version.isEmpty()) {
            return ignored(change, secret.arn(), "the secret has no AWSCURRENT version");
        }
        RotationStarts.Result result = starts.startOnce(secret, version.get());
        log.info("rotation trigger", "event", change.eventName(), "secret", secret.name(), "versionId", version.get(),
                "execution", result.executionName(), "outcome", result.kind());
        return new StartRotationOutput(result.started(), result.executionName(), secret.arn(), version.get(),
                result.started() ? "started" : "an execution for this secret version already exists: nothing more to do");
    }

    private static Change read(String detailType, JsonNode detail, JsonNode event) {
        String eventName = text(detail.path("eventName"));
        JsonNode request = detail.path("requestParameters");
        JsonNode response = detail.path("responseElements");
        switch (detailType) {
            case LABEL_UPDATED -> {
                String label = text(detail.path("labelUpdated"));
                return new Change(LABEL_UPDATED, ids(text(event.path("resources").path(0)), text(detail.path("name"))),
                        SecretsPort.SecretDescription.AWSCURRENT.equals(label) ? null : "label " + label + " moved, not AWSCURRENT");
            }
            case API_CALL -> {
                List<String> ids = ids(text(response.path("arn")), text(response.path("aRN")),
                        text(request.path("secretId")));
                if (detail.hasNonNull("errorCode")) {
                    return new Change(eventName, ids, eventName + " failed (" + text(detail.path("errorCode")) + ")");
                }
                return new Change(eventName, ids, apiCallNotMoved(eventName, request));
            }
            case SERVICE_EVENT -> {
                return new Change(eventName, ids(text(detail.path("additionalEventData").path("SecretId"))),
                        "RotationSucceeded".equals(eventName) ? null : eventName + " does not move AWSCURRENT");
            }
            default -> throw new InvalidInputException("detail-type", "is '" + detailType + "': expected '"
                    + LABEL_UPDATED + "', '" + API_CALL + "' or '" + SERVICE_EVENT + "'");
        }
    }

    /** What the request itself proves (the caller's parameters are always recorded, unlike the response). */
    private static String apiCallNotMoved(String eventName, JsonNode request) {
        switch (String.valueOf(eventName)) {
            case "PutSecretValue" -> {
                JsonNode stages = request.path("versionStages");
                if (stages.isArray() && !contains(stages, SecretsPort.SecretDescription.AWSCURRENT)) {
                    return "PutSecretValue staged " + stages + ", not AWSCURRENT: the stacks would re-read the old"
                            + " value; the version starts a run when it becomes AWSCURRENT";
                }
                return null;
            }
            case "UpdateSecret" -> {
                return null; // a new value or only metadata: the event cannot tell; the current version decides
            }
            case "UpdateSecretVersionStage" -> {
                return SecretsPort.SecretDescription.AWSCURRENT.equals(text(request.path("versionStage")))
                        && request.hasNonNull("moveToVersionId") ? null
                        : "UpdateSecretVersionStage moved " + text(request.path("versionStage")) + ", not AWSCURRENT";
            }
            default -> {
                return eventName + " does not move AWSCURRENT";
            }
        }
    }

    private StartRotationOutput ignored(Change change, String secretId, String why) {
        log.info("rotation trigger ignored", "event", change.eventName(), "secret", secretId, "reason", why);
        return new StartRotationOutput(false, null, secretId, null, why);
    }

    /** Identifiers present, full ARNs first: they name one secret, where a name may be ambiguous. */
    private static List<String> ids(String... candidates) {
        List<String> full = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String c : candidates) {
            if (c != null && !full.contains(c) && !other.contains(c)) {
                (WatchedSecrets.isFullArn(c) ? full : other).add(c);
            }
        }
        full.addAll(other);
        return full;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }
}
