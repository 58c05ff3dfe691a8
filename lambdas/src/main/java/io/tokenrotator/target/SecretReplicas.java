package io.tokenrotator.target;

import io.tokenrotator.contract.SecretSummary;
import io.tokenrotator.errors.StackBusyException;
import io.tokenrotator.port.RunStore;
import io.tokenrotator.port.SecretsPort;

import java.util.List;
import java.util.Optional;

/**
 * A stack in another region than the secret resolves the secret's replica there, which takes a new version
 * asynchronously (Secrets Manager user guide, "Replicate secrets across Regions"): updated before the replica
 * carries the run's version as AWSCURRENT, the stack would resolve the old value. So Update Stack asks first, with
 * DescribeSecret of the replica (never a value), and a replica that lags makes the stack busy for now: the phase's
 * loop tries again later, as for a stack another operation holds.
 */
public final class SecretReplicas {
    private final TargetAccess access;
    private final RunStore runs;

    public SecretReplicas(TargetAccess access, RunStore runs) {
        this.access = access;
        this.runs = runs;
    }

    /** Throws StackBusyException while the replica in the stack's region lags the run's version. */
    public void awaitVersion(String runId, String stackName, String stackId, String target) {
        if (!access.targets().multiple() || "false".equals(target)) {
            return; // one region; or phase 1, which deletes the resources that hold the secret
        }
        Optional<Target> where = access.targets().forStack(stackId);
        SecretSummary secret = where.isEmpty() ? null : runs.secret(runId);
        if (secret == null || secret.versionId() == null) {
            return; // a run without a secret re-reads whatever is current
        }
        String region = where.get().region();
        if (region.equals(regionOf(secret.arn()))) {
            return;
        }
        Optional<SecretsPort.SecretDescription> replica = access.secretsIn(region).describeSecret(secret.name());
        if (replica.isEmpty()) {
            return; // not replicated there: the stack resolves the secret by its ARN, in its own region
        }
        List<String> stages = replica.get().versionIdsToStages().getOrDefault(secret.versionId(), List.of());
        if (!stages.contains(SecretsPort.SecretDescription.AWSCURRENT)) {
            throw new StackBusyException(stackName, "waiting for the replica of " + secret.name() + " in " + region
                    + " to carry version " + secret.versionId() + " as AWSCURRENT (replication is asynchronous;"
                    + " it has " + (stages.isEmpty() ? "no such version" : String.join(", ", stages))
                    + " yet): updated now, the stack would resolve the old value; tried again later");
        }
    }

    /** The region in an ARN ({@code arn:<partition>:<service>:<region>:...}). */
    static String regionOf(String arn) {
        String[] parts = String.valueOf(arn).split(":");
        return parts.length > 3 ? parts[3] : "";
    }
}
