package io.tokenrotator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.Optional;

/**
 * Checks a stack policy before phase 1, so a stack whose policy forbids deleting the gated resources is reported
 * at once instead of after a failed update and its rollback. Rules as CloudFormation documents them ("Prevent updates
 * to stack resources"): once a policy exists every resource is protected unless an Allow matches, a matching Deny
 * always wins, and a statement with a {@code Condition} ({@code StringEquals} or {@code StringLike} on
 * {@code ResourceType}) applies only to resources of those types. A condition this check cannot read is taken the
 * cautious way: it applies to a Deny and not to an Allow.
 */
public final class StackPolicyCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StackPolicyCheck() {}

    /** The first of {@code resources} (logical id to type) the policy forbids Update:Delete on, if any. */
    public static Optional<String> firstProtected(String policyBody, Map<String, String> resources) {
        JsonNode policy;
        try {
            policy = JSON.readTree(policyBody);
        } catch (Exception e) {
            return Optional.empty(); // unreadable here: CloudFormation will judge it during the update
        }
        return resources.entrySet().stream().filter(r -> !allowsDelete(policy, r.getKey(), r.getValue()))
                .map(Map.Entry::getKey).findFirst();
    }

    private static boolean allowsDelete(JsonNode policy, String logicalId, String type) {
        String resource = "LogicalResourceId/" + logicalId;
        boolean allowed = false;
        for (JsonNode statement : policy.path("Statement")) {
            boolean action = statement.has("NotAction") ? !matchesAny(statement.get("NotAction"), "Update:Delete")
                    : matchesAny(statement.path("Action"), "Update:Delete");
            boolean target = statement.has("NotResource") ? !matchesAny(statement.get("NotResource"), resource)
                    : matchesAny(statement.path("Resource"), resource);
            boolean deny = "Deny".equals(statement.path("Effect").asText());
            if (action && target && conditionHolds(statement.path("Condition"), type, deny)) {
                if (deny) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }

    /** No condition holds always; otherwise every operator must hold for the resource type. */
    private static boolean conditionHolds(JsonNode condition, String type, boolean unreadableHolds) {
        if (condition.isMissingNode() || condition.isNull()) {
            return true;
        }
        for (var op : (Iterable<java.util.Map.Entry<String, JsonNode>>) condition::fields) {
            JsonNode types = op.getValue().path("ResourceType");
            boolean holds = switch (op.getKey()) {
                case "StringEquals" -> !types.isMissingNode() && contains(types, type);
                case "StringLike" -> !types.isMissingNode() && matchesAny(types, type);
                default -> unreadableHolds;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(JsonNode values, String value) {
        for (JsonNode v : values.isArray() ? values : JSON.createArrayNode().add(values)) {
            if (v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAny(JsonNode patterns, String value) {
        for (JsonNode p : patterns.isArray() ? patterns : JSON.createArrayNode().add(patterns)) {
            String regex = ("\\Q" + p.asText() + "\\E").replace("*", "\\E.*\\Q");
            if (value.matches(regex)) {
                return true;
            }
        }
        return false;
    }
}
