package io.tokenrotator.cdk;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tokenrotator.json.Json;
import io.tokenrotator.target.Targets;
import io.tokenrotator.settings.DeploymentSettings;
import software.amazon.awscdk.Duration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The app's configuration from CDK context: cdk.json's "context" block, overridden by {@code -c key=value}. Values
 * from cdk.json arrive typed (numbers, booleans, lists); values from -c arrive as strings. Errors name the key.
 */
public record AppConfig(String stackName, TokenRotatorProps props, String alarmTopicArn, String alarmEmail) {

    public static AppConfig from(Function<String, Object> context) {
        Reader r = new Reader(context);
        TokenRotatorProps.Builder b = TokenRotatorProps.builder();
        r.text("parameterName").ifPresent(b::parameterName);
        r.text("versionParameterName").ifPresent(b::versionParameterName);
        b.secrets(r.list("secrets"));
        if (r.text("pollIntervalSeconds").isPresent()) {
            throw new IllegalArgumentException("CDK context pollIntervalSeconds: renamed pollSeconds (one name for"
                    + " the setting everywhere); set pollSeconds instead");
        }
        DeploymentSettings.parse(s -> r.text(s.key()).orElse(null), s -> "CDK context " + s.key())
                .values().forEach(b::set);
        r.text("stackNamePrefix").ifPresent(b::stackNamePrefix);
        r.text("selection").ifPresent(b::selection);
        r.bool("createTrail").ifPresent(b::createTrail);
        b.managedCredentials(credentials(context.apply(CREDENTIALS)));
        r.bool(INCLUDE_HOME).ifPresent(b::includeHome);
        b.targets(targets(context.apply(TARGETS)));
        TokenRotatorProps props;
        try {
            props = b.build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException("CDK context " + (message.startsWith("managedCredentials ")
                    ? CREDENTIALS + message.substring("managedCredentials".length()) : message), e);
        }
        return new AppConfig(r.text("stackName").orElse("TokenRotator"), props, r.text("alarmTopicArn").orElse(null),
                r.text("alarmEmail").orElse(null));
    }

    /** The context keys of the other accounts and regions (README, "Many accounts and regions"). */
    static final String TARGETS = "targets";
    static final String INCLUDE_HOME = "includeHome";

    /**
     * The context's {@value #TARGETS}: a list (JSON text from -c) of {@code {accounts, regions, roleName,
     * externalId}}, the shape of the functions' TARGETS "targets"; checked by {@link Targets#parse}, so errors name
     * the entry as the functions would.
     */
    static List<TargetProps> targets(Object value) {
        if (value == null || value.toString().isBlank()) {
            return List.of();
        }
        String json = value instanceof List<?> ? Json.write(value) : value.toString().trim();
        String source = "CDK context " + TARGETS;
        if (!json.startsWith("[")) {
            throw new IllegalArgumentException(source + ": expected a JSON list of {\"accounts\", \"regions\","
                    + " \"roleName\", \"externalId\"}, got '" + value + "'");
        }
        Targets.parse("{\"targets\": " + json + "}", source, "aws", "000000000000", "home-region-0");
        try {
            List<Targets.Entry> entries = Json.MAPPER.readValue(json, new TypeReference<List<Targets.Entry>>() {});
            return entries.stream().map(e -> new TargetProps(e.accounts(), e.regions(), e.roleName(), e.externalId()))
                    .toList();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The context key of the managed credentials. */
    static final String CREDENTIALS = "credentials";
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("secret", "userName", "schedule", "quietPeriodHours",
            "gracePeriodDays");

    /**
     * The context's {@value #CREDENTIALS}: a list (JSON text from -c) of {@code {secret, userName, schedule,
     * quietPeriodHours, gracePeriodDays}}, the last three optional. Whole hours and days; errors name the entry.
     */
    static List<ManagedCredentialProps> credentials(Object value) {
        if (value == null || value.toString().isBlank()) {
            return List.of();
        }
        List<?> entries;
        if (value instanceof List<?> l) {
            entries = l;
        } else {
            try {
                entries = Json.MAPPER.readValue(value.toString(), new TypeReference<List<Object>>() {});
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("CDK context " + CREDENTIALS + ": expected a JSON list of {\"secret\","
                        + " \"userName\", \"schedule\", \"quietPeriodHours\", \"gracePeriodDays\"}, got '" + value + "'");
            }
        }
        List<ManagedCredentialProps> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = "CDK context " + CREDENTIALS + " entry " + i;
            if (!(entries.get(i) instanceof Map<?, ?> raw)) {
                throw new IllegalArgumentException(where + ": expected an object {\"secret\", \"userName\", ...}, got "
                        + entries.get(i));
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            raw.forEach((k, v) -> entry.put(String.valueOf(k), v));
            for (String field : entry.keySet()) {
                if (!CREDENTIAL_FIELDS.contains(field)) {
                    throw new IllegalArgumentException(where + ": unknown field '" + field + "' (expected secret,"
                            + " userName, schedule, quietPeriodHours, gracePeriodDays)");
                }
            }
            ManagedCredentialProps.Builder c = ManagedCredentialProps.builder()
                    .secret(text(entry.get("secret"))).userName(text(entry.get("userName")))
                    .schedule(text(entry.get("schedule")));
            Long hours = whole(entry.get("quietPeriodHours"), where + ": quietPeriodHours", 30 * 24);
            if (hours != null) {
                c.quietPeriod(Duration.hours(hours));
            }
            Long days = whole(entry.get("gracePeriodDays"), where + ": gracePeriodDays", 90);
            if (days != null) {
                c.gracePeriod(Duration.days(days));
            }
            out.add(c.build());
        }
        return out;
    }

    private static String text(Object v) {
        return v == null ? null : v.toString().trim();
    }

    private static Long whole(Object v, String what, long max) {
        if (v == null) {
            return null;
        }
        try {
            long n = new java.math.BigDecimal(v.toString().trim()).longValueExact();
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + ": expected a whole number from 0 to " + max + ", got " + v);
    }

    private record Reader(Function<String, Object> context) {
        java.util.Optional<String> text(String key) {
            Object v = context.apply(key);
            return v == null || v.toString().isBlank() ? java.util.Optional.empty() : java.util.Optional.of(v.toString().trim());
        }

        java.util.Optional<Boolean> bool(String key) {
            return text(key).map(s -> switch (s) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("CDK context " + key + ": expected true or false, got '"
                        + s + "'");
            });
        }

        List<String> list(String key) {
            Object v = context.apply(key);
            if (v == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            if (v instanceof List<?> l) {
                l.forEach(x -> out.add(String.valueOf(x).trim()));
            } else {
                String s = v.toString().trim();
                if (s.startsWith("[")) {
                    s = s.substring(1, s.length() - 1).replace("\"", "");
                }
                Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
            }
            return out;
        }
    }
}
