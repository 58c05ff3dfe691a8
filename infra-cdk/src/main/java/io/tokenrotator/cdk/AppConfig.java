package io.tokenrotator.cdk;

import io.tokenrotator.settings.DeploymentSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        TokenRotatorProps props;
        try {
            props = b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CDK context " + e.getMessage(), e);
        }
        return new AppConfig(r.text("stackName").orElse("TokenRotator"), props, r.text("alarmTopicArn").orElse(null),
                r.text("alarmEmail").orElse(null));
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
