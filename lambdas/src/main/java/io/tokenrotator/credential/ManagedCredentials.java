package io.tokenrotator.credential;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The managed credentials of a deployment, from the environment variable {@value #VARIABLE} the construct sets:
 * a JSON array of {@code {"secretId", "kind", "userName", "quietPeriodSeconds", "gracePeriodSeconds"}} (the waits
 * optional). Checked once, with errors that name the variable and the entry.
 */
public final class ManagedCredentials {
    public static final String VARIABLE = "MANAGED_CREDENTIALS";

    /** One entry as configured: the waits may be left out. */
    public record Entry(String secretId, String kind, String userName, Long quietPeriodSeconds,
                        Long gracePeriodSeconds) {}

    /** The whole list, as the variable holds it. */
    public record Entries(List<Entry> credentials) {}

    private final List<ManagedCredential> all;

    public ManagedCredentials(List<ManagedCredential> all) {
        this.all = List.copyOf(all);
    }

    public static ManagedCredentials fromEnvironment(Function<String, String> env) {
        String json = env.apply(VARIABLE);
        if (json == null || json.isBlank()) {
            throw new IllegalStateException("environment variable " + VARIABLE + " is not set: it lists the"
                    + " credentials this deployment manages");
        }
        return parse(json, "environment variable " + VARIABLE);
    }

    /** Parses {@code json} (an array of entries); {@code source} names where it came from in errors. */
    public static ManagedCredentials parse(String json, String source) {
        Entries entries;
        try {
            entries = Json.read(new ByteArrayInputStream(("{\"credentials\":" + json + "}")
                    .getBytes(StandardCharsets.UTF_8)), Entries.class);
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage().replace("credentials", "entries"));
        }
        List<ManagedCredential> out = new ArrayList<>();
        List<Entry> list = entries.credentials() == null ? List.of() : entries.credentials();
        for (int i = 0; i < list.size(); i++) {
            out.add(check(list.get(i), source + " entry " + i));
        }
        if (out.stream().map(ManagedCredential::secretId).distinct().count() != out.size()) {
            throw new IllegalArgumentException(source + ": a secret is listed twice");
        }
        return new ManagedCredentials(out);
    }

    public static ManagedCredential check(Entry e, String where) {
        if (e == null || e.secretId() == null || e.secretId().isBlank()) {
            throw new IllegalArgumentException(where + ": secretId is missing");
        }
        String kind = e.kind() == null ? ManagedCredential.IAM_ACCESS_KEY : e.kind();
        if (!ManagedCredential.IAM_ACCESS_KEY.equals(kind)) {
            throw new IllegalArgumentException(where + ": kind " + kind + " is not supported; expected "
                    + ManagedCredential.IAM_ACCESS_KEY);
        }
        if (e.userName() == null || !e.userName().matches(ManagedCredential.USER_NAME_PATTERN)) {
            throw new IllegalArgumentException(where + ": userName " + (e.userName() == null ? "is missing"
                    : "'" + e.userName() + "' is not an IAM user name") + " (1-64 characters of letters, digits and"
                    + " +=,.@_-)");
        }
        long quiet = e.quietPeriodSeconds() == null ? ManagedCredential.DEFAULT_QUIET_PERIOD_SECONDS
                : e.quietPeriodSeconds();
        long grace = e.gracePeriodSeconds() == null ? ManagedCredential.DEFAULT_GRACE_PERIOD_SECONDS
                : e.gracePeriodSeconds();
        if (quiet < 0 || quiet > ManagedCredential.MAX_QUIET_PERIOD_SECONDS) {
            throw new IllegalArgumentException(where + ": quietPeriodSeconds must be 0-"
                    + ManagedCredential.MAX_QUIET_PERIOD_SECONDS + ", got " + quiet);
        }
        if (grace < 0 || grace > ManagedCredential.MAX_GRACE_PERIOD_SECONDS) {
            throw new IllegalArgumentException(where + ": gracePeriodSeconds must be 0-"
                    + ManagedCredential.MAX_GRACE_PERIOD_SECONDS + ", got " + grace);
        }
        return new ManagedCredential(e.secretId(), kind, e.userName(), quiet, grace);
    }

    public List<ManagedCredential> all() {
        return all;
    }

    /**
     * The entry for a secret given by name or ARN: an ARN matches an entry with that ARN or whose name it carries
     * ({@code secret:<name>-XXXXXX}).
     */
    public Optional<ManagedCredential> find(String secretId, String secretArn, String secretName) {
        return all.stream().filter(c -> c.secretId().equals(secretId) || c.secretId().equals(secretArn)
                || c.secretId().equals(secretName)).findFirst();
    }

    /** The configured secret ids, for error messages. */
    public String ids() {
        return String.join(", ", all.stream().map(ManagedCredential::secretId).toList());
    }
}
