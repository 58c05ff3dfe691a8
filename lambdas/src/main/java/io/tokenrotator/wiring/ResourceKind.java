package io.tokenrotator.wiring;

/**
 * What a grant's resources are, symbolically. {@link ResourceArns} turns a kind into ARNs: with CloudFormation
 * tokens in the construct, with the simulator's account and region in a local run.
 */
public enum ResourceKind {
    /** {@code *}: actions without resource-level permissions, or calls that are not about one resource. */
    ANY,
    /** Stacks whose name starts with the configured prefix (every stack without one): {@code stack/<prefix>*}{@code /*}. */
    STACKS,
    /** Every stack: {@code stack/*}{@code /*}. */
    ALL_STACKS,
    /** The watched secrets ({@code secret:<name>-??????}); any secret when none is configured. */
    WATCHED_SECRETS,
    /** Objects in the run bucket under the grant's key prefix. */
    RUN_OBJECTS,
    /** The run bucket itself (ListBucket). */
    RUN_BUCKET,
    /** The rotation state machine. */
    STATE_MACHINE,
    /** Systems Manager parameters in the region: the account's own and AWS's public ones ({@code /aws/service/*}). */
    SSM_PARAMETERS,
    /** CloudFormation's own transforms ({@code arn:<partition>:cloudformation:<region>:aws:transform/<Name>}). */
    TRANSFORMS,
    /** Every execution of the rotation state machine (DescribeExecution). */
    ROTATION_EXECUTIONS,
    /** The managed credentials' IAM users ({@code arn:<p>:iam::<account>:user/<name>}). */
    MANAGED_USERS,
    /** The managed credentials' secrets. */
    MANAGED_SECRETS,
    /** Every execution of the credential lifecycle state machine. */
    LIFECYCLE_EXECUTIONS,
    /** The roles Token Rotator assumes in its target accounts ({@code role/<roleName>} of each); none: home only. */
    TARGET_ROLES,
    /** The watched secrets in every region (their replicas): their ARN patterns with the region as {@code *}. */
    SECRET_REPLICAS,
    /** The trigger's queue: undeliverable events and Start Rotation's failed invocations. */
    TRIGGER_QUEUE
}
