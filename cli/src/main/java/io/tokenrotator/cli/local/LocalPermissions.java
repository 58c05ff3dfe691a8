package io.tokenrotator.cli.local;

import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.wiring.Grant;
import io.tokenrotator.wiring.Permissions;
import io.tokenrotator.wiring.ResourceArns;
import io.tokenrotator.wiring.RotatorFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
}
