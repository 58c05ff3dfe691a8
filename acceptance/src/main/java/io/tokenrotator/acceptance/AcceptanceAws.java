package io.tokenrotator.acceptance;

import io.tokenrotator.cli.ops.RunOverview;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an acceptance run asks of AWS (CloudFormation, Secrets Manager, Step Functions, S3): {@link SdkAcceptanceAws}
 * with the SDK, a fake in the tests. Secret values go in (create, put) and never come back out: there is no read.
 */
public interface AcceptanceAws {
    /** The account and region of the credentials. */
    record Account(String id, String region) {}

    /** A secret and one of its versions. */
    record SecretVersion(String arn, String name, String versionId) {}

    record StackRequest(String name, String templateBody, Map<String, String> parameters, List<String> capabilities,
                        String roleArn) {}

    record StackState(String status, String statusReason, Map<String, String> parameters, Map<String, String> outputs) {}

    /** {@code timestamp}: when the resource last changed status; for a resource an update created, its creation. */
    record StackResource(String logicalId, String physicalId, String type, String status, Instant timestamp) {}

    /** The region the clients talk to. */
    String region();

    /** From the CDK bootstrap stack (CDKToolkit): empty when this account and region are not bootstrapped. */
    Optional<Account> bootstrappedAccount();

    SecretVersion createSecret(String name, String value, String description);

    SecretVersion putSecretValue(String secretArn, String value);

    /** When Secrets Manager created this version (ListSecretVersionIds: metadata only, no value). */
    Instant versionCreated(String secretArn, String versionId);

    Optional<String> secretArn(String name);

    /** DeleteSecret with ForceDeleteWithoutRecovery: gone at once, no recovery window. */
    void deleteSecretNow(String secretArn);

    void createStack(StackRequest request);

    /** Empty when the stack does not exist (or is deleted). */
    Optional<StackState> stack(String name);

    List<StackResource> resources(String stackName);

    /** The first resource failure of the stack's latest operation, as "LogicalId: reason", if any. */
    Optional<String> firstFailure(String stackName);

    /**
     * When CloudFormation last started creating this resource (its latest CREATE_IN_PROGRESS event): the moment it
     * resolves the resource's dynamic references.
     */
    Optional<Instant> lastCreateStarted(String stackName, String logicalId);

    void deleteStack(String name);

    /** The execution's status; empty while it does not exist. */
    Optional<String> executionStatus(String executionArn);

    void stopExecution(String executionArn, String cause);

    /** The execution's report, as {@code ./token-rotator report} reads it. */
    RunOverview overview(String executionArn);

    List<String> bucketsStartingWith(String prefix);

    /** Deletes every object version and the bucket; nothing to do when it does not exist. */
    void emptyAndDeleteBucket(String bucket);
}
