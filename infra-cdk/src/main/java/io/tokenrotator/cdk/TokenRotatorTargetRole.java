package io.tokenrotator.cdk;

import io.tokenrotator.wiring.Grant;
import io.tokenrotator.wiring.ResourceArns;
import io.tokenrotator.wiring.ResourceKind;
import io.tokenrotator.wiring.RotatorFunction;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The role each target account deploys so that a central Token Rotator rotates its stacks (README, "Many accounts
 * and regions"): trusted by the central Find Stacks, Update Stack and Stack Status roles only (aws:PrincipalArn,
 * plus sts:ExternalId and aws:PrincipalOrgID when given), allowed exactly those functions' grants that act in the
 * target (on stacks, SSM parameters, transforms: {@link #TARGET_KINDS}) in every region of this account, and the
 * read of the central run bucket's {@code templates/} that CloudFormation makes with the caller's credentials for
 * a TemplateURL. Nothing else: no secret, no Secrets Manager call at all. The plain StackSets template
 * {@code infra-cdk/target-role.template.json} is this construct with parameters ({@link TargetRoleTemplate}).
 */
public final class TokenRotatorTargetRole extends Construct {
    /** The resource kinds whose grants act in a target account. */
    static final Set<ResourceKind> TARGET_KINDS = EnumSet.of(ResourceKind.ANY, ResourceKind.STACKS,
            ResourceKind.ALL_STACKS, ResourceKind.SSM_PARAMETERS, ResourceKind.TRANSFORMS);
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** Organization ids: o- and 10 to 32 lowercase letters or digits (Organizations API reference, Organization). */
    private static final Pattern ORGANIZATION = Pattern.compile("o-[a-z0-9]{10,32}");

    public final Role role;

    public TokenRotatorTargetRole(Construct scope, String id, TokenRotatorTargetRoleProps props) {
        this(scope, id, props, null, null);
    }

    /**
     * With CloudFormation conditions saying whether externalId and organizationId were given (the plain template's
     * optional parameters); null: given exactly when the prop is not null.
     */
    TokenRotatorTargetRole(Construct scope, String id, TokenRotatorTargetRoleProps props, CfnCondition hasExternalId,
                           CfnCondition hasOrganizationId) {
        super(scope, id);
        check(props);
        Stack stack = Stack.of(this);
        List<String> trusted = !props.centralRoleArns().isEmpty() ? props.centralRoleArns()
                : TokenRotator.TARGET_FUNCTIONS.stream().map(f -> "arn:" + stack.getPartition() + ":iam::"
                + props.centralAccountId() + ":role/" + TokenRotator.centralRoleName(props.centralStackName(), f))
                .toList();
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("ArnEquals", Map.of("aws:PrincipalArn", trusted));
        Map<String, Object> equals = new LinkedHashMap<>();
        optional(equals, "sts:ExternalId", props.externalId(), hasExternalId);
        optional(equals, "aws:PrincipalOrgID", props.organizationId(), hasOrganizationId);
        if (hasExternalId != null || hasOrganizationId != null) {
            // both optional parameters empty: no StringEquals block at all (an empty one is not a condition)
            CfnCondition any = new CfnCondition(this, "HasExternalIdOrOrganizationId",
                    software.amazon.awscdk.CfnConditionProps.builder().expression(Fn.conditionOr(
                            hasExternalId != null ? hasExternalId : Fn.conditionEquals("x", ""),
                            hasOrganizationId != null ? hasOrganizationId : Fn.conditionEquals("x", ""))).build());
            any.overrideLogicalId("HasExternalIdOrOrganizationId");
            conditions.put("StringEquals", Fn.conditionIf(any.getLogicalId(), equals, Aws.NO_VALUE));
        } else if (!equals.isEmpty()) {
            conditions.put("StringEquals", equals);
        }

        // the target's own account, every region: a target entry lists the regions, the role serves them all
        ResourceArns arns = new ResourceArns(stack.getPartition(), "*", stack.getAccount(), props.stackNamePrefix(),
                List.of(), "arn:" + stack.getPartition() + ":s3:::*", null);
        List<PolicyStatement> statements = new ArrayList<>();
        Map<List<String>, String> wildcards = new LinkedHashMap<>();
        for (RotatorFunction f : TokenRotator.TARGET_FUNCTIONS) {
            for (Grant g : f.grants()) {
                if (TARGET_KINDS.contains(g.resources())) {
                    statements.add(PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(g.actions())
                            .resources(arns.of(g)).build());
                    wildcards.merge(arns.of(g), g.why(), (a, b) -> a + "; " + b);
                }
            }
        }
        // CloudFormation fetches a TemplateURL with the caller's credentials: the central run bucket's templates/
        // (its name is generated; the central account pins it, and the bucket's own policy names this role)
        String templates = "arn:" + stack.getPartition() + ":s3:::*/templates/*";
        statements.add(PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(List.of("s3:GetObject"))
                .resources(List.of(templates))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceAccount", props.centralAccountId()))).build());
        wildcards.put(List.of(templates), "Templates over 51,200 bytes go to"
                + " CloudFormation as a TemplateURL in the central run bucket, whose name is generated: any bucket of"
                + " the central account (aws:ResourceAccount), templates/ only; the bucket's policy allows only the"
                + " target roles");

        role = Role.Builder.create(this, "Role")
                .roleName(props.roleName())
                .description("Token Rotator: the central deployment's Find Stacks, Update Stack and Stack Status act"
                        + " on this account's CloudFormation stacks with this role (never on secret values)")
                .assumedBy(new AccountPrincipal(props.centralAccountId()).withConditions(conditions))
                .inlinePolicies(Map.of("TokenRotatorTarget", PolicyDocument.Builder.create()
                        .statements(statements).build()))
                .build();
        wildcards.forEach((resources, why) -> NagAcknowledgements.wildcardResources(role, resources, why));
    }

    private static void optional(Map<String, Object> into, String key, String value, CfnCondition given) {
        if (given != null) {
            into.put(key, Fn.conditionIf(given.getLogicalId(), value, Aws.NO_VALUE));
        } else if (value != null) {
            into.put(key, value);
        }
    }

    private static void check(TokenRotatorTargetRoleProps p) {
        String account = p.centralAccountId();
        if (account == null || (!Token.isUnresolved(account) && !ACCOUNT.matcher(account).matches())) {
            throw new IllegalArgumentException("centralAccountId: expected the central deployment's 12-digit account"
                    + " id, got '" + account + "'");
        }
        String org = p.organizationId();
        if (org != null && !Token.isUnresolved(org) && !ORGANIZATION.matcher(org).matches()) {
            throw new IllegalArgumentException("organizationId: '" + org + "' is not an organization id (o- and 10"
                    + " to 32 lowercase letters or digits)");
        }
        String external = p.externalId();
        if (external != null && !Token.isUnresolved(external) && !external.matches("[\\w+=,.@:/-]{2,1224}")) {
            throw new IllegalArgumentException("externalId must be 2-1224 characters of letters, digits and"
                    + " +=,.@:/-");
        }
        String name = p.roleName();
        if (!Token.isUnresolved(name) && !name.matches("[\\w+=,.@-]{1,64}")) {
            throw new IllegalArgumentException("roleName: '" + name + "' is not an IAM role name");
        }
    }
}
