package io.tokenrotator.wiring;

import java.util.List;

/**
 * Turns a {@link Grant}'s resource kind into ARNs. The values may be CloudFormation tokens (the construct passes
 * the stack's partition, region and account and the bucket's ARN as CDK token strings) or plain strings (a local
 * run passes the simulator's).
 *
 * @param partition         aws, aws-cn, aws-us-gov
 * @param stackNamePrefix   the configured stack name prefix; null or empty for every stack
 * @param watchedSecretArns ARN patterns of the watched secrets; empty: any secret (rotations started by hand)
 * @param runBucketArn      {@code arn:<partition>:s3:::<bucket>}
 */
public record ResourceArns(String partition, String region, String account, String stackNamePrefix,
                           List<String> watchedSecretArns, String runBucketArn, String stateMachineArn,
                           String triggerQueueArn, Lifecycle lifecycle, List<String> targetRoleArns) {
    /**
     * The credential lifecycle's resources, when credentials are managed.
     *
     * @param userNames         the managed credentials' IAM users
     * @param secretArns        ARN patterns of their secrets
     * @param stateMachineArn   the lifecycle state machine
     */
    public record Lifecycle(List<String> userNames, List<String> secretArns, String stateMachineArn) {
        public Lifecycle {
            userNames = List.copyOf(userNames);
            secretArns = List.copyOf(secretArns);
        }
    }

    /** The transforms a consumer template may use that run with the caller's credentials. */
    public static final List<String> TRANSFORMS = List.of("LanguageExtensions", "Serverless-2016-10-31", "Include");

    public ResourceArns {
        watchedSecretArns = List.copyOf(watchedSecretArns);
        targetRoleArns = targetRoleArns == null ? List.of() : List.copyOf(targetRoleArns);
    }

    /** Without a trigger queue (no watched secrets, or before the trigger exists). */
    public ResourceArns(String partition, String region, String account, String stackNamePrefix,
                        List<String> watchedSecretArns, String runBucketArn, String stateMachineArn) {
        this(partition, region, account, stackNamePrefix, watchedSecretArns, runBucketArn, stateMachineArn, null,
                null, List.of());
    }

    /** With the roles of the target accounts (issue 12: many accounts and regions). */
    public ResourceArns withTargetRoles(List<String> roleArns) {
        return new ResourceArns(partition, region, account, stackNamePrefix, watchedSecretArns, runBucketArn,
                stateMachineArn, triggerQueueArn, lifecycle, roleArns);
    }

    public ResourceArns withTriggerQueue(String queueArn) {
        return new ResourceArns(partition, region, account, stackNamePrefix, watchedSecretArns, runBucketArn,
                stateMachineArn, queueArn, lifecycle, targetRoleArns);
    }

    public ResourceArns withLifecycle(Lifecycle managed) {
        return new ResourceArns(partition, region, account, stackNamePrefix, watchedSecretArns, runBucketArn,
                stateMachineArn, triggerQueueArn, managed, targetRoleArns);
    }

    public List<String> of(Grant grant) {
        String prefix = stackNamePrefix == null ? "" : stackNamePrefix;
        return switch (grant.resources()) {
            case ANY -> List.of("*");
            case STACKS -> List.of(arn("cloudformation", region, account, "stack/" + prefix + "*/*"));
            case ALL_STACKS -> List.of(arn("cloudformation", region, account, "stack/*/*"));
            case WATCHED_SECRETS -> watchedSecretArns.isEmpty() ? List.of("*") : watchedSecretArns;
            case RUN_OBJECTS -> List.of(runBucketArn + "/" + grant.keyPrefix() + "*");
            case RUN_BUCKET -> List.of(runBucketArn);
            case STATE_MACHINE -> List.of(stateMachineArn);
            // public parameters (/aws/service/...) are owned by AWS: their ARN has no account
            case SSM_PARAMETERS -> List.of(arn("ssm", region, account, "parameter/*"),
                    arn("ssm", region, "", "parameter/aws/service/*"));
            case TRANSFORMS -> TRANSFORMS.stream().map(t -> arn("cloudformation", region, "aws", "transform/" + t))
                    .toList();
            case TRIGGER_QUEUE -> triggerQueueArn == null ? List.of() : List.of(triggerQueueArn);
            case ROTATION_EXECUTIONS -> List.of(executions(stateMachineArn));
            case MANAGED_USERS -> lifecycle == null ? List.of() : lifecycle.userNames().stream()
                    .map(u -> arn("iam", "", account, "user/" + u)).toList();
            case MANAGED_SECRETS -> lifecycle == null ? List.of() : lifecycle.secretArns();
            case TARGET_ROLES -> targetRoleArns;
            // a replica has the primary's ARN with its own region (Secrets Manager user guide, "Replicate secrets")
            case SECRET_REPLICAS -> watchedSecretArns.isEmpty() ? List.of("*") : watchedSecretArns.stream()
                    .map(a -> a.replaceFirst("^(arn:[^:]+:secretsmanager:)[^:]*:", "$1*:")).toList();
            case LIFECYCLE_EXECUTIONS -> lifecycle == null ? List.of() : List.of(executions(lifecycle.stateMachineArn()));
        };
    }

    /**
     * Every execution of a state machine: {@code arn:<p>:states:<region>:<account>:execution:<name>:*} (Step
     * Functions' execution ARN format), from the state machine's ARN, whose {@code :stateMachine:} part is literal
     * text even when partition, region and account are CloudFormation tokens.
     */
    private static String executions(String stateMachineArn) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":*";
    }

    private String arn(String service, String inRegion, String inAccount, String resource) {
        return "arn:" + partition + ":" + service + ":" + inRegion + ":" + inAccount + ":" + resource;
    }
}
