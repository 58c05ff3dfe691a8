package io.tokenrotator.acceptance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The consumer stacks an acceptance run deploys: one of each kind that has broken rotations elsewhere. Each declares
 * RotateToken and gates one Lambda function, whose environment variable holds
 * {@code {{resolve:secretsmanager:<secret>}}}: a function costs nothing while it is not invoked (Lambda bills
 * requests and duration only), is created in seconds, and gets a new generated name each time it is re-created.
 */
public enum Consumer {
    /** A CDK app's stack: the BootstrapVersion parameter is an SSM parameter type, re-read on every update. */
    CDK("cdk", "CDK-made (BootstrapVersion SSM parameter)", List.of(), true),
    /** The SAM transform: every update is a transform, which needs CAPABILITY_AUTO_EXPAND. */
    SAM("sam", "SAM transform (AWS::Serverless-2016-10-31)", List.of("CAPABILITY_AUTO_EXPAND"), true),
    /** Holds an IAM role, so every update needs CAPABILITY_IAM. */
    IAM("iam", "IAM role (needs CAPABILITY_IAM)", List.of("CAPABILITY_IAM"), false);

    /** The logical id of the gated function in every consumer template. */
    public static final String GATED_RESOURCE = "Token";

    private final String suffix;
    private final String kind;
    private final List<String> capabilities;
    private final boolean usesSharedFunctionRole;

    Consumer(String suffix, String kind, List<String> capabilities, boolean usesSharedFunctionRole) {
        this.suffix = suffix;
        this.kind = kind;
        this.capabilities = capabilities;
        this.usesSharedFunctionRole = usesSharedFunctionRole;
    }

    public String suffix() {
        return suffix;
    }

    public String kind() {
        return kind;
    }

    /** Acknowledged at CreateStack; Token Rotator must copy them into its updates. */
    public List<String> capabilities() {
        return capabilities;
    }

    /** The resources gated by Condition RotateToken (the tests check each template declares exactly these). */
    public List<String> gatedResources() {
        return List.of(GATED_RESOURCE);
    }

    /** The stack's parameters at CreateStack (BootstrapVersion keeps its default, as {@code cdk deploy} does). */
    public Map<String, String> parameters(String secretName, String functionRoleArn) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("RotateToken", "true");
        p.put("SecretName", secretName);
        if (usesSharedFunctionRole) {
            p.put("FunctionRoleArn", functionRoleArn);
        }
        return p;
    }
}
