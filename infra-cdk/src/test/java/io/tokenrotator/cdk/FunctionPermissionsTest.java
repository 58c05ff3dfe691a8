package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.wiring.Grant;
import io.tokenrotator.wiring.ResourceArns;
import io.tokenrotator.wiring.RotatorFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Function;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The construct's IAM policies are exactly what {@link RotatorFunction} declares, so the deployed functions and
 * the local run (which enforces the same declaration in the simulator) cannot drift apart.
 */
class FunctionPermissionsTest {
    // with a concrete region CDK writes the partition literally
    private static final String PARTITION = "aws";

    /** (action, resource) pairs of a function role's policy, resources flattened as cdk-nag flattens them. */
    private static Set<String> granted(TokenRotatorStack stack, JsonNode template, Function fn) {
        String role = stack.getLogicalId((CfnElement) fn.getRole().getNode().getDefaultChild());
        Set<String> pairs = new TreeSet<>();
        template.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals("AWS::IAM::Policy")
                    && r.path("Properties").path("Roles").toString().equals("[{\"Ref\":\"" + role + "\"}]")) {
                for (JsonNode st : r.path("Properties").path("PolicyDocument").path("Statement")) {
                    assertThat(st.path("Effect").asText()).isEqualTo("Allow");
                    assertThat(st.has("Condition") || st.has("NotAction") || st.has("NotResource")).isFalse();
                    for (JsonNode action : list(st.path("Action"))) {
                        for (JsonNode resource : list(st.path("Resource"))) {
                            pairs.add(action.asText() + " " + NagAcknowledgements.flatten(
                                    TestApps.JSON.convertValue(resource, Object.class)));
                        }
                    }
                }
            }
        });
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

    private static Set<String> declared(RotatorFunction f, ResourceArns arns) {
        Set<String> pairs = new TreeSet<>();
        for (Grant g : f.grants()) {
            g.actions().forEach(a -> arns.of(g).forEach(r -> pairs.add(a + " " + r)));
        }
        return pairs;
    }

    private static void assertPoliciesMatchTheDeclaration(Map<String, Object> config, String prefix,
                                                          List<String> secretArns) {
        assertPoliciesMatchTheDeclaration(config, prefix, secretArns, null);
    }

    private static void assertPoliciesMatchTheDeclaration(Map<String, Object> config, String prefix,
                                                          List<String> secretArns, ResourceArns.Lifecycle lifecycle) {
        assertPoliciesMatchTheDeclaration(config, prefix, secretArns, lifecycle, List.of());
    }

    private static void assertPoliciesMatchTheDeclaration(Map<String, Object> config, String prefix,
                                                          List<String> secretArns, ResourceArns.Lifecycle lifecycle,
                                                          List<String> targetRoleArns) {
        TokenRotatorStack stack = TestApps.stack(config);
        JsonNode template = TestApps.JSON.valueToTree(Template.fromStack(stack)
                .toJSON());
        TokenRotator rotator = stack.rotator;
        String bucket = "<" + stack.getLogicalId((CfnElement) rotator.runBucket.getNode().getDefaultChild()) + ".Arn>";
        String queue = rotator.trigger == null ? null : "<" + stack.getLogicalId(
                (CfnElement) rotator.trigger.deadLetterQueue.getNode().getDefaultChild()) + ".Arn>";
        ResourceArns arns = new ResourceArns(PARTITION, "eu-west-1", "123456789012", prefix, secretArns, bucket,
                "arn:" + PARTITION + ":states:eu-west-1:123456789012:stateMachine:TokenRotator-rotation", queue, lifecycle,
                targetRoleArns);
        for (RotatorFunction f : RotatorFunction.values()) {
            Function fn = f.inWorkflow() ? rotator.workflowFunctions.get(f.placeholder())
                    : f.inLifecycle() ? rotator.lifecycleFunctions.get(f.placeholder()) : rotator.startRotationFunction;
            if (fn == null) {
                if (f.inLifecycle()) {
                    assertThat(lifecycle).as(f.id() + " is missing").isNull();
                } else {
                    assertThat(secretArns).as(f.id() + " is missing").isEmpty();
                }
                continue;
            }
            Set<String> actual = granted(stack, template, fn);
            // what every function has besides its declaration: its own log group and X-Ray tracing
            actual.removeIf(p -> p.startsWith("logs:CreateLogStream ") || p.startsWith("logs:PutLogEvents ")
                    || p.equals("xray:PutTraceSegments *") || p.equals("xray:PutTelemetryRecords *"));
            assertThat(actual).as(f.id()).isEqualTo(declared(f, arns));
        }
    }

    @Test
    void everyFunctionRoleGrantsExactlyWhatTheDeclarationSays() {
        assertPoliciesMatchTheDeclaration(Map.of("secrets", "prod/api-token,"
                        + "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-AbCdEf"), null,
                List.of("arn:" + PARTITION + ":secretsmanager:eu-west-1:123456789012:secret:prod/api-token-??????",
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-??????"));
        assertPoliciesMatchTheDeclaration(Map.of("secrets", "prod/api-token", "stackNamePrefix", "team-a-"), "team-a-",
                List.of("arn:" + PARTITION + ":secretsmanager:eu-west-1:123456789012:secret:prod/api-token-??????"));
    }

    @Test
    void withTargetsTheTargetActingFunctionsMayAssumeExactlyTheConfiguredRoles() {
        // home (123456789012/eu-west-1) is listed too: it is reached with the functions' own credentials, no role;
        // 123456789012 in us-east-1 is another target, reached through the role in the home account
        assertPoliciesMatchTheDeclaration(Map.of("secrets", "prod/api-token", "targets", List.of(
                        Map.of("accounts", List.of("111111111111", "123456789012"),
                                "regions", List.of("eu-west-1", "us-east-1"), "externalId", "ext-1"),
                        Map.of("accounts", List.of("222222222222"), "regions", List.of("eu-west-1"),
                                "roleName", "RotatorTarget"))), null,
                List.of("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-??????"), null,
                List.of("arn:aws:iam::111111111111:role/TokenRotatorTarget",
                        "arn:aws:iam::123456789012:role/TokenRotatorTarget",
                        "arn:aws:iam::222222222222:role/RotatorTarget"));
    }

    @Test
    void theLifecycleFunctionsGrantExactlyTheDeclarationOnTheManagedUsersAndSecrets() {
        String lifecycle = "arn:aws:states:eu-west-1:123456789012:stateMachine:TokenRotator-credential-lifecycle";
        // without watched secrets Find Stacks may describe any secret, the managed ones included
        assertPoliciesMatchTheDeclaration(Map.of("credentials", List.of(
                        Map.of("secret", "prod/deploy-bot-key", "userName", "deploy-bot"),
                        Map.of("secret", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/ci-key-AbCdEf",
                                "userName", "ci", "schedule", "rate(30 days)"))), null, List.of(),
                new ResourceArns.Lifecycle(List.of("deploy-bot", "ci"), List.of(
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/deploy-bot-key-??????",
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/ci-key-??????"), lifecycle));
        // with watched secrets, the managed ones join them: the rotation a cycle starts describes its secret
        assertPoliciesMatchTheDeclaration(Map.of("secrets", "prod/api-token", "credentials", List.of(
                        Map.of("secret", "prod/deploy-bot-key", "userName", "deploy-bot"))), null,
                List.of("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-??????",
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/deploy-bot-key-??????"),
                new ResourceArns.Lifecycle(List.of("deploy-bot"), List.of(
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/deploy-bot-key-??????"), lifecycle));
    }

    @Test
    void noRoleMayCallIamOnEveryResourceAndOnlyCreateCredentialMayPutASecretValue() {
        TokenRotatorStack stack = TestApps.stack(Map.of("secrets", "prod/api-token", "credentials", List.of(
                Map.of("secret", "prod/deploy-bot-key", "userName", "deploy-bot"))));
        JsonNode template = TestApps.JSON.valueToTree(Template.fromStack(stack).toJSON());
        TokenRotator rotator = stack.rotator;
        List<Function> all = new ArrayList<>(rotator.workflowFunctions.values());
        all.addAll(rotator.lifecycleFunctions.values());
        all.add(rotator.startRotationFunction);
        Set<String> everything = new TreeSet<>();
        for (Function fn : all) {
            Set<String> pairs = granted(stack, template, fn);
            everything.addAll(pairs);
            assertThat(pairs).as(fn.getNode().getId()).noneMatch(p -> p.startsWith("iam:") && p.endsWith(" *"))
                    .noneMatch(p -> p.startsWith("iam:") && !p.endsWith(":iam::123456789012:user/deploy-bot"))
                    .noneMatch(p -> p.startsWith("secretsmanager:GetSecretValue"));
        }
        assertThat(everything).filteredOn(p -> p.startsWith("secretsmanager:PutSecretValue")).containsExactly(
                "secretsmanager:PutSecretValue arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/deploy-bot-key-??????");
        assertThat(granted(stack, template, rotator.lifecycleFunctions.get(
                RotatorFunction.CREATE_CREDENTIAL.placeholder()))).contains(
                "secretsmanager:PutSecretValue arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/deploy-bot-key-??????",
                "iam:CreateAccessKey arn:aws:iam::123456789012:user/deploy-bot");
        assertThat(template.toString()).doesNotContain("GetSecretValue").doesNotContain("\"iam:*\"")
                .doesNotContain("\"secretsmanager:*\"");
    }

    @Test
    void updateStackKnowsTheRunBucketItUploadsLargeTemplatesTo() {
        Template.fromStack(TestApps.stack(Map.of())).hasResourceProperties(
                "AWS::Lambda::Function", Match.objectLike(Map.of(
                        "Handler", RotatorFunction.UPDATE_STACK.handlerName(),
                        "Environment", Map.of("Variables", Match.objectLike(
                                Map.of("RUN_BUCKET", Map.of("Ref", Match.stringLikeRegexp("TokenRotatorRunBucket.*"))))))));
    }

    @Test
    void theDeclarationGrantsWhatAwsChecksWithTheCallersCredentials() {
        TokenRotatorStack stack = TestApps.stack(Map.of("secrets", "prod/api-token"));
        JsonNode template = TestApps.JSON.valueToTree(Template.fromStack(stack)
                .toJSON());
        assertThat(granted(stack, template, stack.rotator.findStacksFunction))
                .contains("cloudformation:ListStacks *", "cloudformation:DescribeStacks *");
        assertThat(granted(stack, template, stack.rotator.updateStackFunction)).contains(
                "ssm:GetParameters arn:" + PARTITION + ":ssm:eu-west-1:123456789012:parameter/*",
                "ssm:GetParameters arn:" + PARTITION + ":ssm:eu-west-1::parameter/aws/service/*",
                "cloudformation:CreateChangeSet arn:" + PARTITION + ":cloudformation:eu-west-1:aws:transform/LanguageExtensions",
                "cloudformation:CreateChangeSet arn:" + PARTITION
                        + ":cloudformation:eu-west-1:aws:transform/Serverless-2016-10-31")
                .noneMatch(p -> p.startsWith("secretsmanager:GetSecretValue"))
                .anyMatch(p -> p.startsWith("s3:PutObject <TokenRotatorRunBucket") && p.endsWith(".Arn>/templates/*"));
    }
}
