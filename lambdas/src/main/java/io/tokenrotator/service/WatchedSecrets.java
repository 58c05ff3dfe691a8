package io.tokenrotator.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tokenrotator.json.Json;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The secrets whose change starts a rotation, from WATCHED_SECRETS: a JSON list of {@code {"arn", "exact"}} that the
 * construct writes. {@code exact: false}: the ARN without its suffix, any secret of that name in that account and
 * region; {@code exact: true}: one full ARN (a re-created secret of the same name is another secret).
 *
 * <p>A secret ARN is {@code ...:secret:<name>-<6 random characters>} (Secrets Manager user guide, "Secret ARN"),
 * so the canonical ARN (DescribeSecret's) minus its last 7 characters is the partial ARN, exactly.
 */
public final class WatchedSecrets {
    public static final String VARIABLE = "WATCHED_SECRETS";
    private static final Pattern ARN = Pattern.compile("arn:[^:]+:secretsmanager:([^:]+):([^:]+):secret:.+");
    /** Full ARNs end in '-' and six letters or digits; the construct refuses watched names that end so. */
    private static final Pattern SUFFIXED = Pattern.compile(".+:secret:.+-[A-Za-z0-9]{6}");

    public record Entry(String arn, boolean exact) {
        String region() {
            return arn.split(":")[3];
        }

        String account() {
            return arn.split(":")[4];
        }

        String name() {
            return arn.substring(arn.indexOf(":secret:") + 8, arn.length() - (exact ? 7 : 0));
        }

        String partialArn() {
            return exact ? arn.substring(0, arn.length() - 7) : arn;
        }
    }

    private final List<Entry> entries;

    public WatchedSecrets(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads and checks WATCHED_SECRETS (and, when set, that every entry is in AWS_REGION); errors name the variable. */
    public static WatchedSecrets fromEnvironment(Function<String, String> env) {
        String value = env.apply(VARIABLE);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + VARIABLE + " is not set: expected a JSON list"
                    + " of {\"arn\", \"exact\"}");
        }
        List<Entry> entries;
        try {
            entries = Json.MAPPER.readValue(value, new TypeReference<List<Entry>>() {});
        } catch (IOException e) {
            throw new IllegalStateException("environment variable " + VARIABLE + " is not a JSON list of {\"arn\","
                    + " \"exact\"}: " + e.getMessage());
        }
        String region = env.apply("AWS_REGION");
        for (Entry e : entries) {
            if (e.arn() == null || !ARN.matcher(e.arn()).matches() || e.exact() != SUFFIXED.matcher(e.arn()).matches()) {
                throw new IllegalStateException("environment variable " + VARIABLE + ": '" + e.arn() + "' is not a"
                        + (e.exact() ? " full" : " partial") + " Secrets Manager secret ARN");
            }
            if (region != null && !region.equals(e.region())) {
                throw new IllegalStateException("environment variable " + VARIABLE + ": '" + e.arn() + "' is in region "
                        + e.region() + ", but this function runs in " + region + " and sees only its region's events");
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("environment variable " + VARIABLE + " lists no secret");
        }
        return new WatchedSecrets(entries);
    }

    /** Whether an event from this account and region can be about a watched secret. */
    public boolean inScope(String account, String region) {
        return entries.stream().anyMatch(e -> e.account().equals(account) && e.region().equals(region));
    }

    /**
     * Whether an identifier from an event (a name, a partial ARN or a full ARN, as the caller passed it) may name a
     * watched secret. Permissive where the identifier cannot tell (a name of a secret pinned by full ARN); the
     * canonical check {@link #watches} decides.
     */
    public boolean mayName(String id) {
        for (Entry e : entries) {
            if (id.equals(e.arn()) || id.equals(e.partialArn()) || id.equals(e.name())
                    || !e.exact() && SUFFIXED.matcher(id).matches() && id.substring(0, id.length() - 7).equals(e.arn())) {
                return true;
            }
        }
        return false;
    }

    /** Whether DescribeSecret's ARN is a watched secret: the pinned ARN, or a secret with a watched name. */
    public boolean watches(String canonicalArn) {
        String partial = canonicalArn.substring(0, Math.max(0, canonicalArn.length() - 7));
        return entries.stream().anyMatch(e -> e.exact() ? e.arn().equals(canonicalArn) : e.arn().equals(partial));
    }

    /** True when the identifier is a full ARN (ends in '-' and six letters or digits). */
    static boolean isFullArn(String id) {
        return id.startsWith("arn:") && SUFFIXED.matcher(id).matches();
    }
}
