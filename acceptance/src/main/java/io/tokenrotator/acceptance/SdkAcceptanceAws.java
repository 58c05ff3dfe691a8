package io.tokenrotator.acceptance;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.CloudFormationErrors;
import io.tokenrotator.cli.ops.RotationExecutions;
import io.tokenrotator.cli.ops.RunOverview;
import io.tokenrotator.store.S3RunStore;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AcceptanceAws} with the AWS SDK: CloudFormation, Secrets Manager, Step Functions and S3. */
public final class SdkAcceptanceAws implements AcceptanceAws {
    /** Tag on everything the run creates through CloudFormation and Secrets Manager. */
    static final String RUN_TAG = "token-rotator-acceptance-run";

    private final CloudFormationClient cloudFormation;
    private final SecretsManagerClient secrets;
    private final SfnClient stepFunctions;
    private final S3Client s3;
    private final String runId;

    public SdkAcceptanceAws(AwsClients clients, String runId) {
        this.cloudFormation = clients.cloudFormation();
        this.secrets = clients.secretsManager();
        this.stepFunctions = clients.stepFunctions();
        this.s3 = clients.s3();
        this.runId = runId;
    }

    @Override
    public String region() {
        return cloudFormation.serviceClientConfiguration().region().id();
    }

    @Override
    public Optional<Account> bootstrappedAccount() {
        return describe("CDKToolkit").map(s -> {
            Arn arn = Arn.fromString(s.stackId());
            return new Account(arn.accountId().orElseThrow(), arn.region().orElseThrow());
        });
    }

    @Override
    public SecretVersion createSecret(String name, String value, String description) {
        var response = secrets.createSecret(r -> r.name(name).secretString(value).description(description)
                .tags(software.amazon.awssdk.services.secretsmanager.model.Tag.builder().key(RUN_TAG).value(runId).build()));
        return new SecretVersion(response.arn(), response.name(), response.versionId());
    }

    @Override
    public SecretVersion putSecretValue(String secretArn, String value) {
        var response = secrets.putSecretValue(r -> r.secretId(secretArn).secretString(value));
        return new SecretVersion(response.arn(), response.name(), response.versionId());
    }

    @Override
    public Instant versionCreated(String secretArn, String versionId) {
        return secrets.listSecretVersionIdsPaginator(r -> r.secretId(secretArn)).stream()
                .flatMap(page -> page.versions().stream()).filter(v -> versionId.equals(v.versionId())).map(SecretVersionsListEntry::createdDate).findFirst()
                .orElseThrow(() -> new IllegalStateException("ListSecretVersionIds does not list version " + versionId));
    }

    @Override
    public Optional<String> secretArn(String name) {
        try {
            return Optional.of(secrets.describeSecret(r -> r.secretId(name)).arn());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void deleteSecretNow(String secretArn) {
        secrets.deleteSecret(r -> r.secretId(secretArn).forceDeleteWithoutRecovery(true));
    }

    @Override
    public void createStack(StackRequest request) {
        cloudFormation.createStack(r -> r.stackName(request.name()).templateBody(request.templateBody())
                .parameters(request.parameters().entrySet().stream().map(e -> Parameter.builder()
                        .parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList())
                .capabilities(request.capabilities().stream().map(Capability::fromValue).toList())
                .roleARN(request.roleArn())
                .tags(Tag.builder().key(RUN_TAG).value(runId).build()));
    }

    @Override
    public Optional<StackState> stack(String name) {
        return describe(name).map(s -> {
            Map<String, String> parameters = new LinkedHashMap<>();
            s.parameters().forEach(p -> parameters.put(p.parameterKey(), p.parameterValue()));
            Map<String, String> outputs = new LinkedHashMap<>();
            s.outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
            return new StackState(s.stackStatusAsString(), s.stackStatusReason(), parameters, outputs);
        });
    }

    private Optional<Stack> describe(String name) {
        try {
            return Optional.of(cloudFormation.describeStacks(r -> r.stackName(name)).stacks().get(0));
        } catch (CloudFormationException e) {
            if (CloudFormationErrors.isDoesNotExist(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<StackResource> resources(String stackName) {
        return cloudFormation.listStackResourcesPaginator(r -> r.stackName(stackName)).stackResourceSummaries()
                .stream().map(s -> new StackResource(s.logicalResourceId(), s.physicalResourceId(), s.resourceType(),
                        s.resourceStatusAsString(), s.lastUpdatedTimestamp())).toList();
    }

    @Override
    public Optional<String> firstFailure(String stackName) {
        // events come newest first: walk back to the start of the latest operation, keep the oldest failure seen
        String first = null;
        for (StackEvent e : cloudFormation.describeStackEventsPaginator(r -> r.stackName(stackName)).stackEvents()) {
            boolean stackItself = e.physicalResourceId() != null && e.physicalResourceId().equals(e.stackId());
            if (stackItself && e.resourceStatusAsString().endsWith("_IN_PROGRESS")
                    && e.resourceStatusReason() != null && e.resourceStatusReason().startsWith("User Initiated")) {
                break;
            }
            if (!stackItself && e.resourceStatusAsString().endsWith("_FAILED")) {
                first = e.logicalResourceId() + ": " + e.resourceStatusReason();
            }
        }
        return Optional.ofNullable(first);
    }

    @Override
    public Optional<Instant> lastCreateStarted(String stackName, String logicalId) {
        // Events come newest first. A creation shows CREATE_COMPLETE, then (older) two CREATE_IN_PROGRESS events:
        // "Resource creation Initiated" and, before it, the start. Keep the oldest event of the latest creation.
        Instant started = null;
        for (StackEvent e : cloudFormation.describeStackEventsPaginator(r -> r.stackName(stackName)).stackEvents()) {
            if (!logicalId.equals(e.logicalResourceId())) {
                continue;
            }
            String status = e.resourceStatusAsString();
            if ("CREATE_IN_PROGRESS".equals(status)) {
                started = e.timestamp();
            } else if (started != null || !status.startsWith("CREATE_")) {
                break;
            }
        }
        return Optional.ofNullable(started);
    }

    @Override
    public void deleteStack(String name) {
        cloudFormation.deleteStack(r -> r.stackName(name));
    }

    @Override
    public Optional<String> executionStatus(String executionArn) {
        try {
            return Optional.of(stepFunctions.describeExecution(r -> r.executionArn(executionArn)).statusAsString());
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
    }

    @Override
    public void stopExecution(String executionArn, String cause) {
        stepFunctions.stopExecution(r -> r.executionArn(executionArn).error("AcceptanceTest.Cleanup").cause(cause));
    }

    @Override
    public RunOverview overview(String executionArn) {
        return new RotationExecutions(stepFunctions, cloudFormation, bucket -> new S3RunStore(s3, bucket))
                .overview(executionArn);
    }

    @Override
    public List<String> bucketsStartingWith(String prefix) {
        return s3.listBucketsPaginator(r -> r.prefix(prefix)).buckets().stream().map(Bucket::name).toList();
    }

    @Override
    public void emptyAndDeleteBucket(String bucket) {
        try {
            for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(r -> r.bucket(bucket))) {
                List<ObjectIdentifier> keys = new ArrayList<>();
                page.versions().forEach(v -> keys.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
                page.deleteMarkers().forEach(m -> keys.add(ObjectIdentifier.builder().key(m.key()).versionId(m.versionId()).build()));
                if (!keys.isEmpty()) { // a page holds at most 1,000 entries, DeleteObjects' limit
                    s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                }
            }
            s3.deleteBucket(r -> r.bucket(bucket));
        } catch (NoSuchBucketException e) {
            // already gone
        }
    }
}
