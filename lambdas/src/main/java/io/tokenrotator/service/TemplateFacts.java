package io.tokenrotator.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Token Rotator needs to know about a stack's original template (JSON or YAML, short-form tags such as
 * {@code !Ref} included): whether it uses the AWS::LanguageExtensions transform or any Transform, whether it fits
 * UpdateStack's TemplateBody, which resources the rotation parameter's condition gates, and which secrets its
 * dynamic references name.
 */
public final class TemplateFacts {
    /** UpdateStack's TemplateBody limit in bytes (CloudFormation quotas); a larger template needs a TemplateURL. */
    public static final int TEMPLATE_BODY_LIMIT = 51_200;
    static final String AUTO_EXPAND = "CAPABILITY_AUTO_EXPAND";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_REF = Pattern.compile("\\{\\{resolve:secretsmanager:([^}]*)}}");

    private final String body;
    private final JsonNode root;

    public TemplateFacts(String body) {
        this.body = body == null ? "" : body;
        this.root = parse(this.body).orElse(null);
    }

    public boolean usesLanguageExtensions() {
        if (root == null) {
            return body.contains("AWS::LanguageExtensions");
        }
        JsonNode transform = root.path("Transform");
        if (transform.isTextual()) {
            return transform.asText().equals("AWS::LanguageExtensions");
        }
        for (JsonNode t : transform) {
            if (t.asText().equals("AWS::LanguageExtensions")) {
                return true;
            }
        }
        return false;
    }

    /** True when the template declares a Transform: AWS::LanguageExtensions, AWS::Serverless-2016-10-31, a macro. */
    public boolean hasTransform() {
        if (root == null) {
            return body.contains("Transform");
        }
        JsonNode transform = root.path("Transform");
        return transform.isTextual() ? !transform.asText().isBlank() : transform.size() > 0;
    }

    public boolean fitsTemplateBody() {
        return body.getBytes(StandardCharsets.UTF_8).length <= TEMPLATE_BODY_LIMIT;
    }

    /**
     * The capabilities an UpdateStack of this template needs: the stack's own, plus CAPABILITY_AUTO_EXPAND for a
     * template with a Transform, whatever the stack was created with (a stack deployed through a change set, as
     * {@code sam deploy} does, lacks it) (UpdateStack API reference, Capabilities).
     */
    public List<String> capabilitiesFor(List<String> stackCapabilities) {
        List<String> out = new ArrayList<>(stackCapabilities);
        if (hasTransform() && !out.contains(AUTO_EXPAND)) {
            out.add(AUTO_EXPAND);
        }
        return out;
    }

    /** The resources carrying {@code Condition: <conditionName>}: logical id to resource type, in template order. */
    public Map<String, String> resourcesWithCondition(String conditionName) {
        Map<String, String> gated = new LinkedHashMap<>();
        if (root != null) {
            root.path("Resources").fields().forEachRemaining(e -> {
                if (conditionName.equals(e.getValue().path("Condition").asText(null))) {
                    gated.put(e.getKey(), e.getValue().path("Type").asText(""));
                }
            });
        }
        return gated;
    }

    /**
     * True when a {@code {{resolve:secretsmanager:ID...}}} names this secret: by name, by full ARN, or by the ARN
     * without its '-' and six-character suffix.
     */
    public boolean referencesSecret(String secretArn, String secretName) {
        String partialArn = secretArn.length() > 7 ? secretArn.substring(0, secretArn.length() - 7) : secretArn;
        Matcher m = SECRET_REF.matcher(body);
        while (m.find()) {
            String id = secretIdOf(m.group(1));
            if (id.equals(secretName) || id.equals(secretArn) || id.equals(partialArn)) {
                return true;
            }
        }
        return false;
    }

    /** The secret id part of a reference: an ARN keeps its own colons (seven segments), a name has none. */
    private static String secretIdOf(String reference) {
        String[] parts = reference.split(":", -1);
        int idParts = reference.startsWith("arn:") ? Math.min(7, parts.length) : 1;
        return String.join(":", java.util.Arrays.copyOfRange(parts, 0, idParts));
    }

    private static Optional<JsonNode> parse(String body) {
        String trimmed = body.stripLeading();
        try {
            JsonNode node = trimmed.startsWith("{") ? JSON.readTree(body) : Yaml.MAPPER.readTree(body);
            return Optional.ofNullable(node).filter(JsonNode::isObject);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Built on the first YAML template only: SnakeYAML's classes stay unloaded in a cold start that reads JSON. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
    }
}
