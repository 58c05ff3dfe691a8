package io.tokenrotator.cli.ops;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkAccessKeys;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.contract.CredentialRecord;
import io.tokenrotator.contract.Cycle;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.port.AccessKeysPort;
import io.tokenrotator.port.CredentialRecords;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.store.S3CredentialRecords;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operator's view of the deployed credential lifecycle: its state machine and run bucket from the CDK stack's
 * outputs, starting a cycle, and a credential's record ({@code credentials/<secret name>/record.json}) next to the
 * current state of its access keys (ListAccessKeys). Reads ids, dates and states only: never a secret value.
 */
public final class CredentialCycles {
    /** The stack outputs this reads (TokenRotatorStack writes them). */
    public static final String LIFECYCLE_OUTPUT = "LifecycleStateMachineArn";
    public static final String BUCKET_OUTPUT = "RunBucketName";
    /** The lifecycle state machine's name ends so: {@code <stack name>-credential-lifecycle}. */
    public static final String LIFECYCLE_SUFFIX = "-credential-lifecycle";

    private final SfnClient sfn;
    private final CloudFormationClient cloudFormation;
    private final SecretsPort secrets;
    private final Function<String, CredentialRecords> recordsInBucket;
    private final AccessKeysPort keys;

    /** Over the operator's clients: the run bucket's records, IAM's ListAccessKeys, Step Functions, CloudFormation. */
    public static CredentialCycles of(AwsClients clients) {
        return new CredentialCycles(clients.stepFunctions(), clients.cloudFormation(),
                new SdkSecrets(clients.secretsManager()), bucket -> new S3CredentialRecords(clients.s3(), bucket),
                new SdkAccessKeys(clients.iam(), clients::stsSignedWith));
    }

    public CredentialCycles(SfnClient sfn, CloudFormationClient cloudFormation, SecretsPort secrets,
                            Function<String, CredentialRecords> recordsInBucket, AccessKeysPort keys) {
        this.sfn = sfn;
        this.cloudFormation = cloudFormation;
        this.secrets = secrets;
        this.recordsInBucket = recordsInBucket;
        this.keys = keys;
    }

    /** A key of the cycle and its state now: Active, Inactive, or deleted (no longer listed). */
    public record KeyState(String role, String accessKeyId, String state) {}

    /** What {@code report} shows of one credential: its latest cycle, that cycle's stages, and its keys now. */
    public record CycleReport(String secretName, String secretArn, String userName, Cycle cycle,
                              List<CredentialRecord.Event> stages, List<KeyState> keys) {}

    /** What a lifecycle execution is doing: status, the cycle it carries when it ended, error and cause. */
    public record Execution(String executionArn, String name, String status, String input, String output,
                            String error, String cause) {
        public boolean running() {
            return "RUNNING".equals(status);
        }
    }

    /** Whether a start began an execution or found the same one (same name and input) already running. */
    public enum Started { STARTED, ALREADY_STARTED }

    /** The deployed stack's outputs, by key. */
    public Map<String, String> outputs(String stackName) {
        Map<String, String> out = new LinkedHashMap<>();
        cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().stream()
                .flatMap(s -> s.outputs().stream()).forEach(o -> out.put(o.outputKey(), o.outputValue()));
        return out;
    }

    /** The lifecycle's state machine; absent when the deployment manages no credential. */
    public Optional<String> lifecycleArn(String stackName) {
        return Optional.ofNullable(outputs(stackName).get(LIFECYCLE_OUTPUT));
    }

    /** The secret an operator named, resolved (DescribeSecret): an unknown one is an input error naming the option. */
    public SecretsPort.SecretDescription secret(String option, String secretId) {
        return secrets.describeSecret(secretId).orElseThrow(() -> new InvalidInputException(option, "'" + secretId
                + "' names no secret in this account and region. Fix: check the name or ARN and --region"));
    }

    public Started start(String lifecycleArn, String name, String inputJson) {
        try {
            sfn.startExecution(r -> r.stateMachineArn(lifecycleArn).name(name).input(inputJson));
            return Started.STARTED;
        } catch (ExecutionAlreadyExistsException e) {
            return Started.ALREADY_STARTED;
        }
    }

    public Execution execution(String executionArn) {
        DescribeExecutionResponse e = sfn.describeExecution(r -> r.executionArn(executionArn));
        return new Execution(executionArn, e.name(), e.statusAsString(), e.input(), e.output(), e.error(), e.cause());
    }

    /** The credential's record as the lifecycle last saved it. */
    public Optional<CredentialRecord> record(String runBucket, String secretName) {
        return recordsInBucket.apply(runBucket).load(secretName);
    }

    /** The credential's record in the run bucket, with the latest cycle's keys as IAM lists them now. */
    public Optional<CycleReport> report(String runBucket, String secretName) {
        Optional<CredentialRecord> found = record(runBucket, secretName);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CredentialRecord record = found.get();
        Cycle cycle = record.cycle();
        List<CredentialRecord.Event> stages = cycle == null ? List.of() : record.history().stream()
                .filter(e -> cycle.cycleId() != null && cycle.cycleId().equals(e.cycleId())).toList();
        List<KeyState> states = new ArrayList<>();
        if (cycle != null) {
            Map<String, Boolean> listed = new LinkedHashMap<>();
            keys.list(record.userName()).forEach(k -> listed.put(k.accessKeyId(), k.active()));
            addKey(states, "old", cycle.oldKeyId(), listed);
            addKey(states, "new", cycle.newKeyId(), listed);
            if (cycle.newKeyId() == null) {
                addKey(states, "pending", cycle.pendingKeyId(), listed);
            }
            listed.keySet().stream().filter(id -> !id.equals(cycle.oldKeyId()) && !id.equals(cycle.newKeyId())
                            && !id.equals(cycle.pendingKeyId()))
                    .forEach(id -> addKey(states, "other", id, listed));
        }
        return Optional.of(new CycleReport(record.secretName(), record.secretArn(), record.userName(), cycle, stages,
                states));
    }

    private static void addKey(List<KeyState> states, String role, String id, Map<String, Boolean> listed) {
        if (id != null) {
            Boolean active = listed.get(id);
            states.add(new KeyState(role, id, active == null ? "deleted" : active ? "Active" : "Inactive"));
        }
    }

    /** The name of a lifecycle execution ARN's state machine ends in {@value #LIFECYCLE_SUFFIX}. */
    public static boolean isLifecycleExecution(String executionArn) {
        String[] parts = executionArn.split(":");
        return parts.length >= 8 && "execution".equals(parts[5]) && parts[6].endsWith(LIFECYCLE_SUFFIX);
    }
}
