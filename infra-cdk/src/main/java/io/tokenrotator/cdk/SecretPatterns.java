package io.tokenrotator.cdk;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The watched secrets and the EventBridge patterns that match their changes exactly.
 *
 * <p>A secret is configured by name, by full ARN (pinned: a re-created secret with a new suffix is another secret)
 * or by ARN without the six-character suffix. A secret ARN is {@code arn:<partition>:secretsmanager:<region>:
 * <account>:secret:<name>-<6 random characters>} (Secrets Manager user guide, "Secret ARN"); a name or partial ARN
 * that itself ends in '-' and six letters or digits reads as a full ARN to Secrets Manager ("Finding a secret from a
 * partial ARN"), so it is refused here.
 *
 * <p>What the patterns can say (EventBridge user guide, "Comparison operators"): equals, prefix, suffix, wildcard
 * ({@code *} only, no single-character wildcard), anything-but, exists, {@code $or}; values in one field's list are
 * alternatives, fields are all required. So a name is matched by equality ({@code detail.name} of the native event,
 * {@code requestParameters.secretId} given as a name or partial ARN). Only a caller that passed the full ARN of a
 * secret watched by name needs the prefix {@code ...:secret:<name>-}, which another secret's name can extend
 * ({@code <name>-2}); Start Rotation checks the canonical secret (DescribeSecret) against the watched list and
 * ignores anything else.
 */
final class SecretPatterns {
    static final String AWSCURRENT = "AWSCURRENT";
    private static final Pattern ARN = Pattern.compile("arn:([^:]+):secretsmanager:([^:]*):([^:]*):secret:(.+)");
    private static final Pattern SUFFIXED = Pattern.compile("(.+)-[A-Za-z0-9]{6}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");

    /**
     * One watched secret. {@code partialArn} is the ARN without the suffix (tokens for partition, region and account
     * when configured by name); {@code fullArn} is set only when configured by full ARN.
     */
    record Watched(String configured, String name, String partialArn, String fullArn, String region, String account) {
        /** The ARN up to its suffix; IAM resources are this plus "??????". */
        String arnPrefix() {
            return partialArn + "-";
        }
    }

    private SecretPatterns() {}

    /** Parses and checks one configured secret; a bad one fails synth with a one-line message naming it. */
    static Watched watched(Stack stack, String configured) {
        String c = configured.trim();
        Matcher arn = ARN.matcher(c);
        if (!c.startsWith("arn:")) {
            requireName(c, c);
            return new Watched(c, c, "arn:" + stack.getPartition() + ":secretsmanager:" + stack.getRegion() + ":"
                    + stack.getAccount() + ":secret:" + c, null, stack.getRegion(), stack.getAccount());
        }
        if (!arn.matches()) {
            throw new IllegalArgumentException("secrets: '" + c + "' is not a Secrets Manager secret ARN"
                    + " (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>[-<suffix>])");
        }
        requireSame(c, "partition", arn.group(1), stack.getPartition());
        requireSame(c, "region", arn.group(2), stack.getRegion());
        requireSame(c, "account", arn.group(3), stack.getAccount());
        Matcher suffixed = SUFFIXED.matcher(arn.group(4));
        String partial = c.substring(0, c.length() - arn.group(4).length());
        if (suffixed.matches()) {
            requireName(c, suffixed.group(1));
            return new Watched(c, suffixed.group(1), partial + suffixed.group(1), c, arn.group(2), arn.group(3));
        }
        requireName(c, arn.group(4));
        return new Watched(c, arn.group(4), c, null, arn.group(2), arn.group(3));
    }

    private static void requireName(String configured, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("secrets: '" + configured + "' does not name a secret (a name is 1-512"
                    + " letters, digits and /_+=.@-)");
        }
        if (!configured.startsWith("arn:") && SUFFIXED.matcher(name).matches()) {
            throw new IllegalArgumentException("secrets: '" + configured + "' ends in '-' and six letters or digits,"
                    + " so Secrets Manager may read it as the full ARN of '" + SUFFIXED.matcher(name).replaceAll("$1")
                    + "': configure this secret by its full ARN (with its own 6-character suffix)");
        }
    }

    private static void requireSame(String configured, String what, String inArn, String ofStack) {
        if (!Token.isUnresolved(ofStack) && !inArn.equals(ofStack)) {
            throw new IllegalArgumentException("secrets: '" + configured + "' is in " + what + " '" + inArn
                    + "', but Token Rotator is deployed to " + what + " '" + ofStack + "': it only sees events of its"
                    + " own account and region; deploy a Token Rotator there, or watch a secret of this " + what);
        }
    }

    /** True when the ARN's region or account could not be compared with the stack's at synth. */
    static boolean uncheckedAtSynth(Stack stack, Watched w) {
        return w.configured().startsWith("arn:")
                && (Token.isUnresolved(stack.getRegion()) || Token.isUnresolved(stack.getAccount()));
    }

    /**
     * Secrets Manager's native "Secret Label Updated" event for AWSCURRENT: {@code detail: {name, labelUpdated,
     * versionId}}, {@code resources: [arn]}, sent for every label except AWSPENDING and AWSPREVIOUS, no CloudTrail
     * needed (Secrets Manager user guide, "Secret event notifications"). Matched by exact name.
     */
    static Map<String, Object> labelUpdatedDetail(List<Watched> secrets) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("name", new ArrayList<>(names(secrets)));
        detail.put("labelUpdated", List.of(AWSCURRENT));
        return detail;
    }

    /**
     * CloudTrail's record of a successful PutSecretValue, UpdateSecret or UpdateSecretVersionStage on a watched
     * secret that may have moved AWSCURRENT. Matched on {@code requestParameters.secretId} (always present, whatever
     * the caller passed), never on {@code responseElements}, which real trails have recorded as null, as
     * {@code {arn}} only, or with the key {@code aRN} (Secrets Manager user guide, "CloudTrail entries"). A failed
     * call carries {@code errorCode}. A put that names its stages must name AWSCURRENT (a rotation's createSecret
     * puts AWSPENDING only, while AWSCURRENT still holds the old value); UpdateSecretVersionStage must move
     * AWSCURRENT.
     */
    static Map<String, Object> apiCallDetail(List<Watched> secrets) {
        List<Object> ids = new ArrayList<>();
        for (Watched w : secrets) {
            ids.add(w.name());
            ids.add(w.partialArn());
            ids.add(w.fullArn() != null ? w.fullArn() : Map.of("prefix", w.arnPrefix()));
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventSource", List.of("secretsmanager.amazonaws.com"));
        detail.put("errorCode", List.of(Map.of("exists", false)));
        detail.put("requestParameters", Map.of("secretId", dedupe(ids)));
        detail.put("$or", List.of(
                Map.of("eventName", List.of("PutSecretValue"),
                        "requestParameters", Map.of("versionStages", List.of(Map.of("exists", false)))),
                Map.of("eventName", List.of("PutSecretValue"),
                        "requestParameters", Map.of("versionStages", List.of(AWSCURRENT))),
                Map.of("eventName", List.of("UpdateSecret")),
                Map.of("eventName", List.of("UpdateSecretVersionStage"),
                        "requestParameters", Map.of("versionStage", List.of(AWSCURRENT),
                                "moveToVersionId", List.of(Map.of("exists", true))))));
        return detail;
    }

    /** Start Rotation's WATCHED_SECRETS: a JSON list of {"arn", "exact"}; exact means the full ARN must match. */
    static String watchedJson(Stack stack, List<Watched> secrets) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Watched w : secrets) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("arn", w.fullArn() != null ? w.fullArn() : w.partialArn());
            e.put("exact", w.fullArn() != null);
            entries.add(e);
        }
        return stack.toJsonString(entries);
    }

    private static Set<String> names(List<Watched> secrets) {
        Set<String> names = new LinkedHashSet<>();
        secrets.forEach(w -> names.add(w.name()));
        return names;
    }

    private static List<Object> dedupe(List<Object> values) {
        return new ArrayList<>(new LinkedHashSet<>(values));
    }
}
