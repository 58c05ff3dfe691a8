package io.tokenrotator.cdk;

import software.amazon.awscdk.Stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * EventBridge patterns for the watched secrets. A secret is configured by name, by full ARN or by ARN without its
 * six-character suffix. Events are matched by the ARN prefix {@code ...:secret:NAME-} in the fields Secrets Manager
 * fills with the canonical ARN (responseElements.arn, additionalEventData.SecretId), so an event whose caller passed
 * a name or a partial ARN matches too, and a re-created secret (new suffix) is still watched.
 */
final class SecretPatterns {
    private static final Pattern FULL_ARN = Pattern.compile("(arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:.+)-[A-Za-z0-9]{6}");
    private static final Pattern ANY_ARN = Pattern.compile("arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)");

    record Watched(String name, String arnPrefix) {}

    private SecretPatterns() {}

    static Watched watched(Stack stack, String configured) {
        var full = FULL_ARN.matcher(configured);
        if (configured.startsWith("arn:") && full.matches()) {
            String partial = full.group(1);
            return new Watched(nameOf(partial), partial + "-");
        }
        var any = ANY_ARN.matcher(configured);
        if (any.matches()) {
            return new Watched(any.group(1), configured + "-");
        }
        if (configured.startsWith("arn:")) {
            throw new IllegalArgumentException("secrets: '" + configured + "' is not a Secrets Manager secret ARN");
        }
        return new Watched(configured, "arn:" + stack.getPartition() + ":secretsmanager:" + stack.getRegion() + ":"
                + stack.getAccount() + ":secret:" + configured + "-");
    }

    /** PutSecretValue and UpdateSecret calls on a watched secret that leave a new version AWSCURRENT. */
    static Map<String, Object> apiCallDetail(List<Watched> secrets) {
        List<Object> arnPrefixes = new ArrayList<>();
        secrets.forEach(w -> arnPrefixes.add(Map.of("prefix", w.arnPrefix())));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventSource", List.of("secretsmanager.amazonaws.com"));
        detail.put("eventName", List.of("PutSecretValue", "UpdateSecret"));
        // a put that names stages must include AWSCURRENT: a rotation's AWSPENDING put must not start a run
        detail.put("requestParameters", Map.of("$or", List.of(
                Map.of("versionStages", List.of(Map.of("exists", false))),
                Map.of("versionStages", List.of("AWSCURRENT")))));
        // only successful calls have responseElements; older events spell the ARN key "aRN"
        detail.put("$or", List.of(
                Map.of("responseElements", Map.of("arn", arnPrefixes)),
                Map.of("responseElements", Map.of("aRN", arnPrefixes))));
        return detail;
    }

    /** A rotation finished: the new version is AWSCURRENT now. */
    static Map<String, Object> rotationSucceededDetail(List<Watched> secrets) {
        List<Object> arnPrefixes = new ArrayList<>();
        secrets.forEach(w -> arnPrefixes.add(Map.of("prefix", w.arnPrefix())));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventSource", List.of("secretsmanager.amazonaws.com"));
        detail.put("eventName", List.of("RotationSucceeded"));
        detail.put("additionalEventData", Map.of("SecretId", arnPrefixes));
        return detail;
    }

    private static String nameOf(String partialArn) {
        var m = ANY_ARN.matcher(partialArn);
        return m.matches() ? m.group(1) : partialArn;
    }
}
