package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tokenrotator.target.Targets;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnConditionProps;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.DefaultStackSynthesizerProps;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@value #FILE}: {@link TokenRotatorTargetRole} as a plain CloudFormation template with parameters, for
 * StackSets (README, "Many accounts and regions"). Run from the repository root after changing the construct or the
 * functions' grants: {@code java -cp infra-cdk/target/classes:$(cat infra-cdk/target/classpath.txt)
 * io.tokenrotator.cdk.TargetRoleTemplate}; a test fails while the committed file is stale.
 */
public final class TargetRoleTemplate {
    public static final String FILE = "infra-cdk/target-role.template.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TargetRoleTemplate() {}

    /** The stack the template is synthesized from (context: cdk.json's, for the same feature flags as the app). */
    static Stack stack(Map<String, Object> context) {
        App app = new App(AppProps.builder().context(context).analyticsReporting(false).build());
        Stack stack = new Stack(app, "TokenRotatorTargetRole", StackProps.builder()
                .description("Token Rotator target role: lets the central Token Rotator deployment rotate this"
                        + " account's CloudFormation stacks (README, Many accounts and regions)")
                .synthesizer(new DefaultStackSynthesizer(DefaultStackSynthesizerProps.builder()
                        .generateBootstrapVersionRule(false).build()))
                .build());
        CfnParameter central = CfnParameter.Builder.create(stack, "CentralAccountId").type("String")
                .allowedPattern("\\d{12}").constraintDescription("a 12-digit account id")
                .description("The account the central Token Rotator is deployed in").build();
        CfnParameter centralStack = CfnParameter.Builder.create(stack, "CentralStackName").type("String")
                .defaultValue(TokenRotatorTargetRoleProps.DEFAULT_CENTRAL_STACK_NAME)
                .description("The central deployment's stack name: its roles <name>-FindStacks, -UpdateStack and"
                        + " -StackStatus are trusted").build();
        CfnParameter external = CfnParameter.Builder.create(stack, "ExternalId").type("String").defaultValue("")
                .allowedPattern("([\\w+=,.@:/-]{2,1224})?")
                .description("The targets' externalId (required in AssumeRole when given); empty: none").build();
        CfnParameter org = CfnParameter.Builder.create(stack, "OrganizationId").type("String").defaultValue("")
                .allowedPattern("(o-[a-z0-9]{10,32})?")
                .description("Callers must belong to this organization (aws:PrincipalOrgID); empty: no such condition")
                .build();
        CfnParameter roleName = CfnParameter.Builder.create(stack, "RoleName").type("String")
                .defaultValue(Targets.DEFAULT_ROLE_NAME).allowedPattern("[\\w+=,.@-]{1,64}")
                .description("The targets' roleName").build();
        CfnCondition hasExternal = new CfnCondition(stack, "HasExternalId", CfnConditionProps.builder()
                .expression(Fn.conditionNot(Fn.conditionEquals(external.getValueAsString(), ""))).build());
        CfnCondition hasOrg = new CfnCondition(stack, "HasOrganizationId", CfnConditionProps.builder()
                .expression(Fn.conditionNot(Fn.conditionEquals(org.getValueAsString(), ""))).build());
        TokenRotatorTargetRole target = new TokenRotatorTargetRole(stack, "Target", TokenRotatorTargetRoleProps.builder()
                .centralAccountId(central.getValueAsString()).centralStackName(centralStack.getValueAsString())
                .externalId(external.getValueAsString()).organizationId(org.getValueAsString())
                .roleName(roleName.getValueAsString()).build(), hasExternal, hasOrg);
        ((software.amazon.awscdk.CfnResource) target.role.getNode().getDefaultChild()).overrideLogicalId("TargetRole");
        CfnOutput.Builder.create(stack, "RoleArn").value(target.role.getRoleArn())
                .description("The target role the central functions assume").build();
        return stack;
    }

    /** The template's text: indented JSON, a final newline. */
    static String render(Map<String, Object> context) {
        try {
            JsonNode template = JSON.valueToTree(Template.fromStack(stack(context)).toJSON());
            return JSON.writeValueAsString(template) + "\n";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** cdk.json's context, as the app and the tests read it. */
    static Map<String, Object> cdkJsonContext(Path root) throws IOException {
        JsonNode context = JSON.readTree(root.resolve("cdk.json").toFile()).path("context");
        return JSON.convertValue(context, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class,
                Object.class));
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Files.writeString(root.resolve(FILE), render(cdkJsonContext(root)));
        System.out.println("wrote " + root.resolve(FILE));
    }
}
