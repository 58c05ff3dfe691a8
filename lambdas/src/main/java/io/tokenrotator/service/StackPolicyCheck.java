package io.tokenrotator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Optional;

/**
 * Checks a stack policy before phase 1, so a stack whose policy forbids deleting the gated resources is reported
 * at once instead of after a failed update and its rollback. Rules as CloudFormation documents them: once a policy
 * exists every resource is protected unless an Allow matches, and a matching Deny always wins.
 */
public final class StackPolicyCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StackPolicyCheck() {}

    /** The first of {@code logicalIds} the policy forbids Update:Delete on, if any. */
    public static Optional<String> firstProtected(String policyBody, List<String> logicalIds) {
        JsonNode policy;
        try {
            policy = JSON.readTree(policyBody);
        } catch (Exception e) {
            return Optional.empty(); // unreadable here: CloudFormation will judge it during the update
        }
        return logicalIds.stream().filter(id -> !allowsDelete(policy, id)).findFirst();
    }

    private static boolean allowsDelete(JsonNode policy, String logicalId) {
        String resource = "LogicalResourceId/" + logicalId;
        boolean allowed = false;
        for (JsonNode statement : policy.path("Statement")) {
            boolean action = statement.has("NotAction") ? !matchesAny(statement.get("NotAction"), "Update:Delete")
                    : matchesAny(statement.path("Action"), "Update:Delete");
            boolean target = statement.has("NotResource") ? !matchesAny(statement.get("NotResource"), resource)
                    : matchesAny(statement.path("Resource"), resource);
            if (action && target) {
                if ("Deny".equals(statement.path("Effect").asText())) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
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
