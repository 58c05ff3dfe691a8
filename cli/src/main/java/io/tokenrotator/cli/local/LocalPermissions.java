package io.tokenrotator.cli.local;

import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.wiring.Grant;
import io.tokenrotator.wiring.Permissions;
import io.tokenrotator.wiring.ResourceArns;
import io.tokenrotator.wiring.RotatorFunction;

import io.tokenrotator.wiring.ResourceKind;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The identities of a local run: each function signs with its own access key id and gets exactly its declared
 * grants (resolved to the simulator's ARNs) as its identity policy, as its role would in AWS.
 */
final class LocalPermissions {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";

    private LocalPermissions() {}

    /** The access key id a function's clients sign with, e.g. {@code ASIAFINDSTACKS}. */
    static String accessKeyId(RotatorFunction function) {
        return "ASIA" + function.id().toUpperCase(Locale.ROOT);
    }

    /** The caller AWS names in an access denied message: the function's assumed role session. */
    static String callerArn(RotatorFunction function) {
        return "arn:aws:sts::" + ACCOUNT + ":assumed-role/TokenRotator-" + function.id() + "Role/TokenRotator-"
                + function.id();
    }

    /** The local ARNs of the grants' resource kinds: no watched secrets (any secret), the local run bucket. */
    static ResourceArns arns(String stackNamePrefix, String runBucket, String stateMachineArn) {
        return new ResourceArns("aws", REGION, ACCOUNT, stackNamePrefix, List.of(), "arn:aws:s3:::" + runBucket,
                stateMachineArn);
    }

    /** Registers every function's principal (Start Rotation's too) with these permissions. */
    static void register(IamModel iam, Permissions permissions, ResourceArns arns) {
        for (RotatorFunction f : RotatorFunction.values()) {
            List<IamModel.Statement> statements = new ArrayList<>();
            for (Grant g : permissions.of(f)) {
                statements.add(new IamModel.Statement(g.actions(), arns.of(g)));
            }
            iam.add(new IamModel.Principal(accessKeyId(f), callerArn(f), statements));
        }
    }

    /** The grants a target role carries: those of the functions that act on a target's stacks. */
    static final Set<ResourceKind> TARGET_KINDS = EnumSet.of(ResourceKind.ANY, ResourceKind.STACKS,
            ResourceKind.ALL_STACKS, ResourceKind.SSM_PARAMETERS, ResourceKind.TRANSFORMS);

    /** The role of Find Stacks, Update Stack or Stack Status that a target role trusts. */
    static String roleArn(RotatorFunction function) {
        return "arn:aws:iam::" + ACCOUNT + ":role/TokenRotator-" + function.id() + "Role";
    }

    /**
     * Registers {@code account}'s target role: trusted by the roles of the functions that act on targets, allowed
     * their stack grants resolved for that account in every region ({@code *}), and s3:GetObject on the central run
     * bucket's templates/ (a TemplateURL is fetched with the caller's credentials, the role's).
     */
    static IamModel.Role registerTargetRole(IamModel iam, Permissions permissions, String account,
                                            String stackNamePrefix, String runBucket, String stateMachineArn) {
        ResourceArns there = new ResourceArns("aws", "*", account, stackNamePrefix, List.of(),
                "arn:aws:s3:::" + runBucket, stateMachineArn);
        List<IamModel.Statement> statements = new ArrayList<>();
        List<String> trusted = new ArrayList<>();
        for (RotatorFunction f : LocalEnvironment.TARGETED) {
            trusted.add(roleArn(f));
            for (Grant g : permissions.of(f)) {
                if (TARGET_KINDS.contains(g.resources())) {
                    statements.add(new IamModel.Statement(g.actions(), there.of(g)));
                }
            }
        }
        statements.add(new IamModel.Statement(List.of("s3:GetObject"),
                List.of("arn:aws:s3:::" + runBucket + "/templates/*")));
        return iam.addRole(account, LocalTargets.ROLE_NAME, trusted, null, null, statements);
    }
}
