package io.tokenrotator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a JSON template the simulator evaluates: parameters (type, defaults, NoEcho, AllowedValues),
 * conditions (Fn::Equals / Fn::Not / Fn::And / Fn::Or / Condition over Ref and literals), rules (their assertions,
 * with Fn::Contains), resources with their Condition and properties (Ref to a parameter or pseudo parameter is
 * substituted), transforms and the capabilities the template needs.
 */
final class StackTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_REF = Pattern.compile("\\{\\{resolve:secretsmanager:([^}]*)}}");
    private static final Set<String> IAM_TYPES = Set.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
            "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::InstanceProfile", "AWS::IAM::AccessKey",
            "AWS::IAM::UserToGroupAddition");
    private static final Set<String> IAM_NAME_PROPERTIES = Set.of("RoleName", "UserName", "GroupName",
            "ManagedPolicyName", "InstanceProfileName");

    record Parameter(String name, String type, String defaultValue, boolean noEcho, List<String> allowedValues) {
        /**
         * An {@code AWS::SSM::Parameter::Value<...>} parameter: its value names a Systems Manager parameter, whose
         * own value CloudFormation fetches (CFN user guide, "Systems Manager parameter types").
         */
        boolean fromParameterStore() {
            return type.startsWith("AWS::SSM::Parameter::Value<");
        }
    }

    /** A resource as it would exist after the template is applied with given parameter values. */
    record DesiredResource(String logicalId, String type, String resolvedProperties, List<SecretRef> secretRefs) {}

    /** One {{resolve:secretsmanager:...}} reference: secret id, version stage and version id (may be empty). */
    record SecretRef(String secretId, String versionStage, String versionId) {}

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    final String body;
    final JsonNode root;
    final Map<String, Parameter> parameters = new LinkedHashMap<>();
    final List<String> transforms = new ArrayList<>();

    StackTemplate(String body) {
        this.body = body;
        try {
            this.root = JSON.readTree(body);
        } catch (Exception e) {
            throw AwsError.validation("Template format error: JSON not well-formed. (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject() || !root.path("Resources").isObject()) {
            throw AwsError.validation("Template format error: At least one Resources member must be defined.");
        }
        root.path("Parameters").fields().forEachRemaining(e -> {
            JsonNode p = e.getValue();
            List<String> allowed = new ArrayList<>();
            p.path("AllowedValues").forEach(v -> allowed.add(v.asText()));
            parameters.put(e.getKey(), new Parameter(e.getKey(), p.path("Type").asText("String"),
                    p.has("Default") ? p.get("Default").asText() : null,
                    p.path("NoEcho").asText("false").equalsIgnoreCase("true"), allowed));
        });
        JsonNode transform = root.path("Transform");
        if (transform.isTextual()) {
            transforms.add(transform.asText());
        } else {
            transform.forEach(t -> transforms.add(t.asText()));
        }
    }

    boolean usesLanguageExtensions() {
        return transforms.contains("AWS::LanguageExtensions");
    }

    /**
     * The first failing rule assertion's AssertDescription, if any. Rules see parameter values as resolved (an SSM
     * parameter's fetched value), like CDK's CheckBootstrapVersion on BootstrapVersion.
     */
    Optional<String> failedAssertion(Map<String, String> values) {
        Iterator<Map.Entry<String, JsonNode>> rules = root.path("Rules").fields();
        while (rules.hasNext()) {
            JsonNode rule = rules.next().getValue();
            if (rule.has("RuleCondition") && !evaluate(rule.get("RuleCondition"), values, 0)) {
                continue;
            }
            for (JsonNode assertion : rule.path("Assertions")) {
                if (!evaluate(assertion.path("Assert"), values, 0)) {
                    return Optional.of(assertion.path("AssertDescription")
                            .asText("Template error: rule assertion failed"));
                }
            }
        }
        return Optional.empty();
    }

    Set<String> requiredCapabilities() {
        Set<String> caps = new TreeSet<>();
        root.path("Resources").forEach(r -> {
            // SAM expands a function without a Role into one with a new AWS::IAM::Role
            if (r.path("Type").asText().equals("AWS::Serverless::Function") && !r.path("Properties").has("Role")) {
                caps.add("CAPABILITY_IAM");
            }
            if (IAM_TYPES.contains(r.path("Type").asText())) {
                caps.add("CAPABILITY_IAM");
                r.path("Properties").fieldNames().forEachRemaining(f -> {
                    if (IAM_NAME_PROPERTIES.contains(f)) {
                        caps.add("CAPABILITY_NAMED_IAM");
                    }
                });
            }
        });
        if (!transforms.isEmpty()) {
            caps.add("CAPABILITY_AUTO_EXPAND");
        }
        return caps;
    }

    /** The resources that exist for these parameter values, keyed by logical id. */
    Map<String, DesiredResource> desiredResources(Map<String, String> values) {
        Map<String, DesiredResource> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = e.getValue();
            String condition = r.path("Condition").asText(null);
            if (condition != null && !evaluateCondition(condition, values, 0)) {
                continue;
            }
            String props = substitute(r.path("Properties"), values).toString();
            out.put(e.getKey(), new DesiredResource(e.getKey(), r.path("Type").asText(), props, secretRefs(props)));
        }
        return out;
    }

    /** The Parameters an AWS::CloudFormation::Stack resource passes, from its resolved properties. */
    static Map<String, String> passedParameters(String resolvedProperties) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            new ObjectMapper().readTree(resolvedProperties).path("Parameters").fields()
                    .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("resolved properties are JSON", e);
        }
        return out;
    }

    static List<SecretRef> secretRefs(String text) {
        List<SecretRef> refs = new ArrayList<>();
        Matcher m = SECRET_REF.matcher(text);
        while (m.find()) {
            String[] parts = m.group(1).split(":", -1);
            int idParts = m.group(1).startsWith("arn:") ? Math.min(7, parts.length) : 1;
            String id = String.join(":", java.util.Arrays.copyOfRange(parts, 0, idParts));
            // after the id: SecretString : json-key : version-stage : version-id
            String stage = parts.length > idParts + 2 ? parts[idParts + 2] : "";
            String versionId = parts.length > idParts + 3 ? parts[idParts + 3] : "";
            refs.add(new SecretRef(id, stage, versionId));
        }
        return refs;
    }

    private boolean evaluateCondition(String name, Map<String, String> values, int depth) {
        JsonNode c = root.path("Conditions").path(name);
        if (c.isMissingNode() || depth > 20) {
            throw AwsError.validation("Template format error: Unresolved dependencies [" + name + "]. Cannot reference"
                    + " resources in the Conditions block of the template");
        }
        return evaluate(c, values, depth + 1);
    }

    private boolean evaluate(JsonNode node, Map<String, String> values, int depth) {
        if (node.has("Fn::Equals")) {
            JsonNode args = node.get("Fn::Equals");
            return value(args.get(0), values, depth).equals(value(args.get(1), values, depth));
        }
        if (node.has("Fn::Not")) {
            return !evaluate(node.get("Fn::Not").get(0), values, depth);
        }
        if (node.has("Fn::And")) {
            for (JsonNode n : node.get("Fn::And")) {
                if (!evaluate(n, values, depth)) return false;
            }
            return true;
        }
        if (node.has("Fn::Or")) {
            for (JsonNode n : node.get("Fn::Or")) {
                if (evaluate(n, values, depth)) return true;
            }
            return false;
        }
        if (node.has("Condition")) {
            return evaluateCondition(node.get("Condition").asText(), values, depth);
        }
        if (node.has("Fn::Contains")) { // rules only: is the value one of the list's
            JsonNode args = node.get("Fn::Contains");
            String wanted = value(args.get(1), values, depth);
            for (JsonNode candidate : args.get(0)) {
                if (value(candidate, values, depth).equals(wanted)) {
                    return true;
                }
            }
            return false;
        }
        throw AwsError.validation("Template error: unsupported condition " + node);
    }

    private String value(JsonNode node, Map<String, String> values, int depth) {
        if (node.isObject() && node.has("Ref")) {
            return values.getOrDefault(node.get("Ref").asText(), "");
        }
        if (node.isObject() && node.has("Condition")) {
            return String.valueOf(evaluateCondition(node.get("Condition").asText(), values, depth));
        }
        return node.asText();
    }

    private static JsonNode substitute(JsonNode node, Map<String, String> values) {
        if (node.isObject()) {
            if (node.size() == 1 && node.has("Ref") && values.containsKey(node.get("Ref").asText())) {
                return TextNode.valueOf(values.get(node.get("Ref").asText()));
            }
            // Fn::Sub, string form: ${Name} takes a parameter's value, ${!Literal} writes ${Literal} (CloudFormation
            // user guide, Fn::Sub); a name that is no parameter (a resource attribute) is left as written
            if (node.size() == 1 && node.has("Fn::Sub") && node.get("Fn::Sub").isTextual()) {
                Matcher m = SUB_VARIABLE.matcher(node.get("Fn::Sub").asText());
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String name = m.group(1);
                    String replacement = name.startsWith("!") ? "${" + name.substring(1) + "}"
                            : values.getOrDefault(name, m.group());
                    m.appendReplacement(out, Matcher.quoteReplacement(replacement));
                }
                m.appendTail(out);
                return TextNode.valueOf(out.toString());
            }
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), substitute(e.getValue(), values)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(n -> copy.add(substitute(n, values)));
            return copy;
        }
        return node;
    }
}
