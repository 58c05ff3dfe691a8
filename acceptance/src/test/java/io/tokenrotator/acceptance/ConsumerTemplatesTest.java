package io.tokenrotator.acceptance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tokenrotator.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The templates a run creates, checked offline: what CreateStack and Token Rotator will rely on. */
class ConsumerTemplatesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<Consumer, Map<String, Object>> CONSUMERS = new EnumMap<>(Consumer.class);
    private static Map<String, Object> base;

    @BeforeAll
    static void synthesize() throws IOException {
        for (Consumer c : Consumer.values()) {
            CONSUMERS.put(c, parse(Templates.consumer(c)));
        }
        base = parse(Templates.base());
    }

    @Test
    void everyConsumerDeclaresRotateTokenAndGatesExactlyItsGatedResources() {
        CONSUMERS.forEach((c, t) -> {
            assertThat(map(map(t, "Parameters"), "RotateToken")).as(c.name()).containsEntry("Type", "String")
                    .containsEntry("AllowedValues", List.of("true", "false")).containsEntry("Default", "true");
            assertThat(map(map(t, "Conditions"), "RotateToken")).as(c.name())
                    .isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "RotateToken"), "true")));
            Set<String> gated = map(t, "Resources").entrySet().stream()
                    .filter(e -> "RotateToken".equals(((Map<?, ?>) e.getValue()).get("Condition")))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            assertThat(gated).as(c.name()).isEqualTo(new HashSet<>(c.gatedResources()));
            assertThat(map(t, "Resources").values()).as(c + " keeps a resource at RotateToken=false")
                    .anyMatch(r -> !asMap(r).containsKey("Condition"));
        });
    }

    @Test
    void eachGatedFunctionHoldsAVersionlessReferenceToTheSecretParameter() {
        CONSUMERS.forEach((c, t) -> {
            Map<String, Object> token = map(map(t, "Resources"), Consumer.GATED_RESOURCE);
            assertThat(token.get("Type")).as(c.name()).isIn("AWS::Lambda::Function", "AWS::Serverless::Function");
            Object value = map(map(map(token, "Properties"), "Environment"), "Variables").get("TOKEN");
            // no version stage, no version id: CloudFormation resolves AWSCURRENT at creation
            assertThat(flatten(value)).as(c.name())
                    .matches("\\{\\{resolve:secretsmanager:<SecretName>(:SecretString:::)?}}");
        });
    }

    @Test
    void theRunPassesEveryParameterWithoutADefaultAndOnlyDeclaredOnes() {
        CONSUMERS.forEach((c, t) -> assertParametersFit(c.name(), t, c.parameters("secret", "role").keySet()));
        assertParametersFit("base", base, Set.of("RunPrefix", "SecretArn"));
    }

    @Test
    void eachKindIsWhatItClaimsAndItsCapabilitiesMatchItsTemplate() {
        Map<String, Object> cdk = CONSUMERS.get(Consumer.CDK);
        assertThat(map(map(cdk, "Parameters"), "BootstrapVersion"))
                .containsEntry("Type", "AWS::SSM::Parameter::Value<String>")
                .containsEntry("Default", "/cdk-bootstrap/hnb659fds/version");
        assertThat(map(cdk, "Rules")).containsKey("CheckBootstrapVersion");
        assertThat(CONSUMERS.get(Consumer.SAM).get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
        assertThat(types(CONSUMERS.get(Consumer.IAM))).contains("AWS::IAM::Role");
        CONSUMERS.forEach((c, t) -> {
            boolean iam = types(t).stream().anyMatch(type -> type.startsWith("AWS::IAM::"));
            assertThat(c.capabilities().contains("CAPABILITY_IAM")).as(c + " CAPABILITY_IAM").isEqualTo(iam);
            assertThat(c.capabilities().contains("CAPABILITY_AUTO_EXPAND")).as(c + " CAPABILITY_AUTO_EXPAND")
                    .isEqualTo(t.containsKey("Transform"));
        });
    }

    @Test
    void theServiceRoleResolvesOnlyTheRunsSecretAndTouchesOnlyTheRunsResources() {
        Map<String, Object> roles = map(base, "Resources");
        Map<String, Object> service = map(map(roles, "ServiceRole"), "Properties");
        assertThat(service.toString()).contains("Service=cloudformation.amazonaws.com");
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object p : (List<?>) service.get("Policies")) {
            for (Object s : (List<?>) map(asMap(p), "PolicyDocument").get("Statement")) {
                statements.add(asMap(s));
            }
        }
        Map<String, Object> resources = new java.util.LinkedHashMap<>();
        statements.forEach(s -> resources.put(String.valueOf(s.get("Action")), s.get("Resource")));
        assertThat(resources).containsEntry("secretsmanager:GetSecretValue", Map.of("Ref", "SecretArn"));
        assertThat(statements).noneMatch(s -> String.valueOf(s.get("Action")).startsWith("secretsmanager:")
                && !"secretsmanager:GetSecretValue".equals(s.get("Action")));
        String prefix = "${RunPrefix}";
        assertThat(sub(resources.get("lambda:*"))).endsWith(":function:" + prefix + "*");
        // the IAM consumer's role is named after its stack, <prefix><suffix>-TokenRole-...
        assertThat(sub(resources.get("iam:*"))).endsWith(":role/" + prefix + Consumer.IAM.suffix() + "-*");
        assertThat(sub(resources.get("iam:PassRole"))).endsWith(":role/" + prefix + "*");
        assertThat(sub(resources.get("ssm:GetParameters"))).endsWith(":parameter/cdk-bootstrap/*");
        assertThat(sub(resources.get("cloudformation:CreateChangeSet"))).endsWith(":aws:transform/Serverless-2016-10-31");
        Map<String, Object> function = map(map(roles, "FunctionRole"), "Properties");
        assertThat(function).doesNotContainKeys("Policies", "ManagedPolicyArns");
        assertThat(map(base, "Outputs")).containsKeys("ServiceRoleArn", "FunctionRoleArn");
    }

    private static void assertParametersFit(String what, Map<String, Object> template, Set<String> passed) {
        Map<String, Object> declared = map(template, "Parameters");
        assertThat(declared).as(what).containsKeys(passed.toArray(String[]::new));
        Set<String> required = declared.entrySet().stream().filter(e -> !asMap(e.getValue()).containsKey("Default"))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(passed).as(what).containsAll(required);
    }

    private static List<String> types(Map<String, Object> template) {
        return map(template, "Resources").values().stream().map(r -> String.valueOf(asMap(r).get("Type"))).toList();
    }

    /** A template value as text: Fn::Join joined, Ref as <Name>. */
    private static String flatten(Object node) {
        if (node instanceof Map<?, ?> m && m.containsKey("Fn::Join")) {
            List<?> join = (List<?>) m.get("Fn::Join");
            return ((List<?>) join.get(1)).stream().map(ConsumerTemplatesTest::flatten)
                    .collect(Collectors.joining(String.valueOf(join.get(0))));
        }
        if (node instanceof Map<?, ?> m && m.containsKey("Ref")) {
            return "<" + m.get("Ref") + ">";
        }
        return String.valueOf(node);
    }

    private static String sub(Object resource) {
        return String.valueOf(asMap(resource).get("Fn::Sub"));
    }

    private static Map<String, Object> parse(String template) throws IOException {
        Map<String, Object> parsed = YAML.readValue(template, Json.MAPPER.getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class));
        return parsed;
    }

    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return asMap(m.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }
}
