package io.tokenrotator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How CloudFormation judges an Update:Delete against a stack policy (CFN user guide, "Prevent updates to stack
 * resources"): once a policy is set every resource is protected unless an Allow statement matches, any matching Deny
 * wins, and a statement's Condition ({@code StringEquals} or {@code StringLike}, the only operators the guide lists,
 * on {@code ResourceType}) limits it to resources of those types.
 */
final class StackPolicyRules {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StackPolicyRules() {}

    static boolean allowsDelete(String policyBody, String logicalId, String resourceType) {
        JsonNode policy;
        try {
            policy = JSON.readTree(policyBody);
        } catch (Exception e) {
            return false;
        }
        boolean allowed = false;
        for (JsonNode st : policy.path("Statement")) {
            boolean actionMatches = st.has("NotAction") ? !anyMatches(st.get("NotAction"), "Update:Delete")
                    : anyMatches(st.path("Action"), "Update:Delete");
            String resource = "LogicalResourceId/" + logicalId;
            boolean resourceMatches = st.has("NotResource") ? !anyMatches(st.get("NotResource"), resource)
                    : anyMatches(st.path("Resource"), resource);
            if (actionMatches && resourceMatches && typeMatches(st.path("Condition"), resourceType)) {
                if ("Deny".equals(st.path("Effect").asText())) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }

    private static boolean typeMatches(JsonNode condition, String resourceType) {
        if (condition.isMissingNode()) {
            return true;
        }
        JsonNode equals = condition.path("StringEquals").path("ResourceType");
        JsonNode like = condition.path("StringLike").path("ResourceType");
        boolean holds = true;
        if (!equals.isMissingNode()) {
            holds = equals.isTextual() ? equals.asText().equals(resourceType)
                    : java.util.stream.StreamSupport.stream(equals.spliterator(), false)
                            .anyMatch(v -> v.asText().equals(resourceType));
        }
        if (!like.isMissingNode()) {
            holds = holds && anyMatches(like, resourceType);
        }
        return holds;
    }

    private static boolean anyMatches(JsonNode patterns, String value) {
        if (patterns.isTextual()) {
            return glob(patterns.asText(), value);
        }
        for (JsonNode p : patterns) {
            if (glob(p.asText(), value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean glob(String pattern, String value) {
        return value.matches(("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q"));
    }
}
