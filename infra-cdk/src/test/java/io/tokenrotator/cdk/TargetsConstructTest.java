package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.tokenrotator.json.Json;
import io.tokenrotator.target.Targets;
import io.tokenrotator.wiring.RotatorFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Function;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Many accounts and regions in the central deployment: the CDK context {@code targets} (and {@code includeHome})
 * becomes the TARGETS environment of Find Stacks, Update Stack and Stack Status, their stable role names and the
 * run bucket's policy for the target roles; without targets the template is the single-account one.
 */
class TargetsConstructTest {
    static final List<Map<String, Object>> TARGETS = List.of(
            Map.of("accounts", List.of("111111111111", "222222222222"), "regions", List.of("eu-west-1", "us-east-1"),
                    "externalId", "ext-1"),
            Map.of("accounts", List.of("333333333333"), "regions", List.of("eu-central-1"), "roleName", "Rotator"));
    static final List<String> ROLE_ARNS = List.of("arn:aws:iam::111111111111:role/TokenRotatorTarget",
            "arn:aws:iam::222222222222:role/TokenRotatorTarget", "arn:aws:iam::333333333333:role/Rotator");

    private static JsonNode json(Template t) {
        return TestApps.JSON.valueToTree(t.toJSON());
    }

    private static JsonNode resource(TokenRotatorStack stack, JsonNode template, software.constructs.IConstruct c) {
        return template.path("Resources").path(stack.getLogicalId((CfnElement) c.getNode().getDefaultChild()));
    }

    /** cdk.json's context without the keys of this feature: what a deployment configured before it synthesizes. */
    private static JsonNode withoutTheKeys(Map<String, Object> overrides) {
        Map<String, Object> context = TestApps.cdkJsonContext();
        context.remove(AppConfig.TARGETS);
        context.remove(AppConfig.INCLUDE_HOME);
        context.putAll(overrides);
        software.amazon.awscdk.App app = new software.amazon.awscdk.App(software.amazon.awscdk.AppProps.builder()
                .context(context).build());
        return json(Template.fromStack(new TokenRotatorStack(app, AppConfig.from(k -> app.getNode().tryGetContext(k)),
                TestApps.ENV)));
    }

    @Test
    void withoutTargetsTheTemplateIsTheSingleAccountOne() {
        JsonNode none = withoutTheKeys(Map.of("secrets", "prod/api-token"));
        assertThat(json(TestApps.template(Map.of("secrets", "prod/api-token")))).as("cdk.json's targets: []")
                .isEqualTo(none);
        JsonNode empty = json(TestApps.template(Map.of("secrets", "prod/api-token", "targets", List.of(),
                "includeHome", "true")));
        JsonNode emptyText = json(TestApps.template(Map.of("secrets", "prod/api-token", "targets", "[]")));

        assertThat(empty).isEqualTo(none);
        assertThat(emptyText).isEqualTo(none);
        String text = none.toString();
        assertThat(text).doesNotContain(":role/", "\"" + Targets.VARIABLE + "\"", Targets.HOME_ACCOUNT,
                "AWS_PARTITION", "RoleName", "aws:PrincipalArn");
    }

    @Test
    void theThreeTargetActingFunctionsGetTheTargetsTheHomeAccountAndThePartition() throws Exception {
        TokenRotatorStack stack = TestApps.stack(Map.of("targets", TARGETS, "includeHome", false));
        JsonNode template = json(Template.fromStack(stack));
        for (RotatorFunction f : RotatorFunction.values()) {
            Function fn = stack.rotator.workflowFunctions.get(f.placeholder());
            if (fn == null) {
                continue;
            }
            JsonNode env = resource(stack, template, fn).path("Properties").path("Environment").path("Variables");
            if (TokenRotator.TARGET_FUNCTIONS.contains(f)) {
                Targets.Config config = Json.MAPPER.readValue(env.path("TARGETS").asText(), Targets.Config.class);
                assertThat(config.includeHome()).as(f.id()).isFalse();
                assertThat(config.targets()).as(f.id()).containsExactly(
                        new Targets.Entry(List.of("111111111111", "222222222222"), List.of("eu-west-1", "us-east-1"),
                                "TokenRotatorTarget", "ext-1"),
                        new Targets.Entry(List.of("333333333333"), List.of("eu-central-1"), "Rotator", null));
                assertThat(env.path("HOME_ACCOUNT").toString()).as(f.id()).isEqualTo("{\"Ref\":\"AWS::AccountId\"}");
                assertThat(env.path("AWS_PARTITION").toString()).as(f.id()).isEqualTo("{\"Ref\":\"AWS::Partition\"}");
                // what the function reads, read back: every account x region, through its role
                Targets targets = Targets.parse(env.path("TARGETS").asText(), "TARGETS", "aws", "123456789012",
                        "eu-west-1");
                assertThat(targets.all()).hasSize(5).noneMatch(t -> t.home());
                assertThat(resource(stack, template, fn.getRole()).path("Properties").path("RoleName").asText())
                        .isEqualTo("TokenRotator-" + f.id());
            } else {
                assertThat(env.has("TARGETS") || env.has("HOME_ACCOUNT")).as(f.id()).isFalse();
                assertThat(resource(stack, template, fn.getRole()).path("Properties").has("RoleName")).isFalse();
            }
        }
        assertThat(stack.rotator.targetRoleArns).isEqualTo(ROLE_ARNS);
    }

    @Test
    void theRunBucketLetsOnlyTheTargetRolesReadTheTemplates() throws Exception {
        TokenRotatorStack stack = TestApps.stack(Map.of("targets", TARGETS));
        JsonNode template = json(Template.fromStack(stack));
        String bucket = stack.getLogicalId((CfnElement) stack.rotator.runBucket.getNode().getDefaultChild());
        List<JsonNode> forTargets = new ArrayList<>();
        template.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals("AWS::S3::BucketPolicy")
                    && r.path("Properties").path("Bucket").toString().equals("{\"Ref\":\"" + bucket + "\"}")) {
                r.path("Properties").path("PolicyDocument").path("Statement").forEach(st -> {
                    if (st.path("Effect").asText().equals("Allow")) {
                        forTargets.add(st);
                    }
                });
            }
        });
        assertThat(forTargets).hasSize(1);
        JsonNode st = forTargets.get(0);
        assertThat(st.path("Action").asText()).isEqualTo("s3:GetObject");
        // the target accounts (they exist, so S3 takes the policy before the roles do; a fixed principal is not public)
        assertThat(TestApps.JSON.convertValue(st.path("Principal").path("AWS"), List.class)).containsExactly(
                "arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root");
        assertThat(NagAcknowledgements.flatten(TestApps.JSON.convertValue(st.path("Resource"), Object.class)))
                .isEqualTo("<" + bucket + ".Arn>/templates/*");
        assertThat(TestApps.JSON.convertValue(st.path("Condition"), Map.class))
                .isEqualTo(Map.of("ArnEquals", Map.of("aws:PrincipalArn", ROLE_ARNS)));
    }

    @Test
    void cdkNagFindsNothingUnacknowledgedWithTargets() {
        PolicyValidationPluginReport report = new AwsSolutionsChecks().validateScope(
                TestApps.stack(Map.of("secrets", "prod/api-token", "targets", TARGETS)));
        List<String> findings = new ArrayList<>();
        for (PolicyViolation v : report.getViolations()) {
            v.getViolatingResources().forEach(r -> findings.add(v.getRuleName() + " " + r.getConstructPath()));
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void aBadTargetIsOneLineNamingTheEntry() {
        assertThatThrownBy(() -> TestApps.stack(Map.of("targets", List.of(TARGETS.get(0),
                Map.of("accounts", List.of("12345"), "regions", List.of("eu-west-1"))))))
                .hasMessage("CDK context targets target entry 1: account '12345' is not a 12-digit id");
        assertThatThrownBy(() -> TestApps.stack(Map.of("targets",
                "[{\"accounts\": [\"111111111111\"], \"regions\": [\"Ireland\"]}]")))
                .hasMessage("CDK context targets target entry 0: region 'Ireland' is not a region name");
        assertThatThrownBy(() -> TestApps.stack(Map.of("targets", "111111111111")))
                .hasMessageStartingWith("CDK context targets: expected a JSON list of");
        assertThatThrownBy(() -> TestApps.stack(Map.of("targets",
                "[{\"accounts\": [\"111111111111\"], \"regions\": [\"eu-west-1\"], \"role\": \"x\"}]")))
                .hasMessageStartingWith("CDK context targets: ").hasMessageContaining("role")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> TestApps.stack(Map.of("includeHome", "false")))
                .hasMessage("CDK context targets: no target: includeHome is false and no entry lists one");
        assertThatThrownBy(() -> TokenRotatorProps.builder().targets(List.of(TargetProps.builder()
                        .accounts(List.of("111111111111")).regions(List.of("eu-west-1")).roleName("bad name").build()))
                .build())
                .hasMessage("targets target entry 0: roleName 'bad name' is not an IAM role name");
    }

    @Test
    void aStackNameTooLongForTheStableRoleNamesFailsAtSynth() {
        assertThatThrownBy(() -> TestApps.stack(Map.of("targets", TARGETS, "stackName", "T".repeat(54))))
                .hasMessageContaining("is longer than IAM's 64 characters");
    }
}
