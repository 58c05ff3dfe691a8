package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.tokenrotator.wiring.Grant;
import io.tokenrotator.wiring.RotatorFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The role a target account deploys ({@link TokenRotatorTargetRole}) and its plain StackSets template
 * ({@value TargetRoleTemplate#FILE}): trusted by the central target-acting functions' roles only, allowed exactly
 * their grants that act in the target, and the committed template is what the generator writes.
 */
class TargetRoleTest {
    private static JsonNode role(Stack stack) {
        JsonNode template = TestApps.JSON.valueToTree(Template.fromStack(stack).toJSON());
        List<JsonNode> roles = new ArrayList<>();
        template.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals("AWS::IAM::Role")) {
                roles.add(r.path("Properties"));
            }
        });
        assertThat(roles).hasSize(1);
        return roles.get(0);
    }

    private static Stack stackWith(TokenRotatorTargetRoleProps props) {
        Stack stack = new Stack(TestApps.app(Map.of()), "Target", software.amazon.awscdk.StackProps.builder()
                .env(software.amazon.awscdk.Environment.builder().account("444444444444").region("eu-west-1").build())
                .build());
        new TokenRotatorTargetRole(stack, "TargetRole", props);
        return stack;
    }

    /** (action, flattened resource) pairs of the role's inline policy; statements with a condition marked. */
    private static Set<String> granted(JsonNode role) {
        Set<String> pairs = new TreeSet<>();
        for (JsonNode policy : role.path("Policies")) {
            for (JsonNode st : policy.path("PolicyDocument").path("Statement")) {
                assertThat(st.path("Effect").asText()).isEqualTo("Allow");
                assertThat(st.has("NotAction") || st.has("NotResource")).isFalse();
                for (JsonNode a : list(st.path("Action"))) {
                    for (JsonNode r : list(st.path("Resource"))) {
                        pairs.add(a.asText() + " " + NagAcknowledgements.flatten(TestApps.JSON.convertValue(r,
                                Object.class)) + (st.has("Condition") ? " if " + st.path("Condition") : ""));
                    }
                }
            }
        }
        return pairs;
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    @Test
    void theRoleAllowsExactlyTheTargetActingGrantsInEveryRegionOfItsAccountAndTheTemplatesRead() {
        JsonNode role = role(stackWith(TokenRotatorTargetRoleProps.builder().centralAccountId("123456789012")
                .stackNamePrefix("team-a-").build()));

        Set<String> expected = new TreeSet<>(Set.of(
                "cloudformation:DescribeStacks *", "cloudformation:ListStacks *",
                "cloudformation:GetTemplate arn:aws:cloudformation:*:444444444444:stack/team-a-*/*",
                "cloudformation:DescribeStacks arn:aws:cloudformation:*:444444444444:stack/team-a-*/*",
                "cloudformation:GetStackPolicy arn:aws:cloudformation:*:444444444444:stack/team-a-*/*",
                "cloudformation:UpdateStack arn:aws:cloudformation:*:444444444444:stack/team-a-*/*",
                "cloudformation:DescribeStacks arn:aws:cloudformation:*:444444444444:stack/*/*",
                "ssm:GetParameters arn:aws:ssm:*:444444444444:parameter/*",
                "ssm:GetParameters arn:aws:ssm:*::parameter/aws/service/*",
                "cloudformation:CreateChangeSet arn:aws:cloudformation:*:aws:transform/LanguageExtensions",
                "cloudformation:CreateChangeSet arn:aws:cloudformation:*:aws:transform/Serverless-2016-10-31",
                "cloudformation:CreateChangeSet arn:aws:cloudformation:*:aws:transform/Include",
                "s3:GetObject arn:aws:s3:::*/templates/* if {\"StringEquals\":{\"aws:ResourceAccount\":\"123456789012\"}}"));
        assertThat(granted(role)).isEqualTo(expected);

        // the same actions as the central declaration on the kinds that act in a target, and nothing else
        Set<String> declared = new TreeSet<>(Set.of("s3:GetObject"));
        for (RotatorFunction f : TokenRotator.TARGET_FUNCTIONS) {
            for (Grant g : f.grants()) {
                if (TokenRotatorTargetRole.TARGET_KINDS.contains(g.resources())) {
                    declared.addAll(g.actions());
                }
            }
        }
        Set<String> actions = new TreeSet<>();
        granted(role).forEach(p -> actions.add(p.substring(0, p.indexOf(' '))));
        assertThat(actions).isEqualTo(declared).noneMatch(a -> a.contains("*"))
                .noneMatch(a -> a.startsWith("secretsmanager:") || a.startsWith("sts:") || a.startsWith("iam:"));
        assertThat(role.path("RoleName").asText()).isEqualTo("TokenRotatorTarget");
    }

    @Test
    void onlyTheCentralTargetActingRolesMayAssumeItWithTheExternalIdAndOrganization() {
        JsonNode trust = role(stackWith(TokenRotatorTargetRoleProps.builder().centralAccountId("123456789012")
                .centralStackName("Rotator").externalId("ext-1").organizationId("o-abcdefghij").roleName("Custom")
                .build())).path("AssumeRolePolicyDocument").path("Statement");
        assertThat(trust).hasSize(1);
        JsonNode st = trust.get(0);
        assertThat(st.path("Action").asText()).isEqualTo("sts:AssumeRole");
        assertThat(st.path("Principal").toString()).isEqualTo("{\"AWS\":\"arn:aws:iam::123456789012:root\"}");
        assertThat(TestApps.JSON.convertValue(st.path("Condition"), Map.class)).isEqualTo(Map.of(
                "ArnEquals", Map.of("aws:PrincipalArn", List.of("arn:aws:iam::123456789012:role/Rotator-FindStacks",
                        "arn:aws:iam::123456789012:role/Rotator-UpdateStack",
                        "arn:aws:iam::123456789012:role/Rotator-StackStatus")),
                "StringEquals", Map.of("sts:ExternalId", "ext-1", "aws:PrincipalOrgID", "o-abcdefghij")));

        JsonNode plain = role(stackWith(TokenRotatorTargetRoleProps.builder().centralAccountId("123456789012")
                .centralRoleArns(List.of("arn:aws:iam::123456789012:role/Mine")).build()));
        assertThat(TestApps.JSON.convertValue(plain.path("AssumeRolePolicyDocument").path("Statement").get(0)
                .path("Condition"), Map.class))
                .isEqualTo(Map.of("ArnEquals", Map.of("aws:PrincipalArn", List.of("arn:aws:iam::123456789012:role/Mine"))));
        // no external id, no organization: no StringEquals block
    }

    @Test
    void theCentralRoleNamesTheTargetTrustsAreTheNamesTheCentralDeploymentGives() {
        TokenRotatorStack central = TestApps.stack(Map.of("targets", TargetsConstructTest.TARGETS));
        JsonNode target = role(stackWith(TokenRotatorTargetRoleProps.builder().centralAccountId("123456789012").build()));
        JsonNode template = TestApps.JSON.valueToTree(Template.fromStack(central).toJSON());
        List<String> names = new ArrayList<>();
        for (var fn : List.of(central.rotator.findStacksFunction, central.rotator.updateStackFunction,
                central.rotator.stackStatusFunction)) {
            names.add("arn:aws:iam::123456789012:role/" + template.path("Resources").path(central.getLogicalId(
                    (software.amazon.awscdk.CfnElement) fn.getRole().getNode().getDefaultChild()))
                    .path("Properties").path("RoleName").asText());
        }
        assertThat(TestApps.JSON.convertValue(target.path("AssumeRolePolicyDocument").path("Statement").get(0)
                .path("Condition").path("ArnEquals").path("aws:PrincipalArn"), List.class)).isEqualTo(names);
    }

    @Test
    void badPropsAreOneLineNamingTheProp() {
        assertThatThrownBy(() -> stackWith(TokenRotatorTargetRoleProps.builder().centralAccountId("1234").build()))
                .hasMessage("centralAccountId: expected the central deployment's 12-digit account id, got '1234'");
        assertThatThrownBy(() -> stackWith(TokenRotatorTargetRoleProps.builder().centralAccountId("123456789012")
                .organizationId("my-org").build())).hasMessageStartingWith("organizationId: 'my-org' is not");
    }

    @Test
    void theCommittedPlainTemplateIsWhatTheGeneratorWrites() throws Exception {
        String committed = Files.readString(ProjectPaths.root().resolve(TargetRoleTemplate.FILE));
        assertThat(committed).as(TargetRoleTemplate.FILE + " is stale or was edited by hand: build infra-cdk, then"
                        + " run 'java -cp infra-cdk/target/classes:$(cat infra-cdk/target/classpath.txt)"
                        + " io.tokenrotator.cdk.TargetRoleTemplate' at the repository root")
                .isEqualTo(TargetRoleTemplate.render(TestApps.cdkJsonContext()));
        JsonNode template = TestApps.JSON.readTree(committed);
        assertThat(template.path("Parameters").fieldNames()).toIterable().containsExactly("CentralAccountId",
                "CentralStackName", "ExternalId", "OrganizationId", "RoleName");
        assertThat(template.has("Rules")).as("no CDK bootstrap rule: StackSets deploy it without CDK").isFalse();
        assertThat(template.toString()).doesNotContain("secretsmanager", "CDKMetadata", "aws:cdk:path");
    }

    @Test
    void cdkNagFindsNothingUnacknowledgedInTheRoleOrThePlainTemplate() {
        for (Stack stack : List.of(stackWith(TokenRotatorTargetRoleProps.builder().centralAccountId("123456789012")
                .externalId("ext-1").build()), TargetRoleTemplate.stack(TestApps.cdkJsonContext()))) {
            PolicyValidationPluginReport report = new AwsSolutionsChecks().validateScope(stack);
            List<String> findings = new ArrayList<>();
            for (PolicyViolation v : report.getViolations()) {
                v.getViolatingResources().forEach(r -> findings.add(v.getRuleName() + " " + r.getConstructPath()));
            }
            assertThat(findings).as(stack.getStackName()).isEmpty();
        }
    }
}
