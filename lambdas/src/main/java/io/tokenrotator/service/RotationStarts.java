package io.tokenrotator.service;

import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.json.Json;
import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.port.SecretsPort.SecretDescription;

import java.util.Optional;
import java.util.Set;

/**
 * Starts the rotation of one secret version: the one piece the automatic trigger and the CLI share. The execution
 * input is {@code {"secretId": <ARN>, "versionId": <version>}} (plus {@code "dryRun": true}); the name comes from
 * {@link ExecutionNames}.
 * <ul>
 *   <li>{@link #startOnce}: the trigger. Deduplicates on the version's name: whatever number of events and rules
 *       fire for one AWSCURRENT version, one execution runs; ExecutionAlreadyExists means it already ran.</li>
 *   <li>{@link #startOrRerun}: the operator. Reports an execution of the version that is still open; when the last
 *       one closed (failed, or succeeded and the operator wants another pass), starts the next attempt
 *       ({@code -r2}, {@code -r3}, ...), finding the first free name with DescribeExecution.</li>
 * </ul>
 */
public final class RotationStarts {
    /** Closed execution statuses (DescribeExecution); RUNNING and PENDING_REDRIVE are open. */
    private static final Set<String> CLOSED = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED");

    public enum Kind {
        /** A new execution started (attempt 1, or the next attempt after closed ones). */
        STARTED,
        /** The trigger: an execution of this version already exists (open or closed); nothing started. */
        ALREADY_EXISTS,
        /** The CLI: the latest attempt is still open; nothing started. */
        ALREADY_RUNNING
    }

    /**
     * @param attempt        1 for the version's first execution, n for {@code -r<n>}
     * @param previousStatus the status of attempt - 1 when this is a re-run, else null
     */
    public record Result(Kind kind, String executionName, String secretArn, String versionId, int attempt,
                         String previousStatus) {
        public boolean started() {
            return kind == Kind.STARTED;
        }
    }

    private final ExecutionStarter starter;

    public RotationStarts(ExecutionStarter starter) {
        this.starter = starter;
    }

    public Result startOnce(SecretDescription secret, String versionId) {
        String name = ExecutionNames.forSecretVersion(secret.name(), secret.arn(), versionId);
        ExecutionStarter.Started started = starter.start(name, Json.write(new RotationRequest(null, secret.arn(),
                versionId, null, null, null, null)));
        return new Result(started == ExecutionStarter.Started.STARTED ? Kind.STARTED : Kind.ALREADY_EXISTS, name,
                secret.arn(), versionId, 1, null);
    }

    /** @param stackNamePrefix null for the deployment's scope, or a prefix to rotate only the stacks it names */
    public Result startOrRerun(SecretDescription secret, String versionId, String stackNamePrefix, boolean dryRun) {
        String base = ExecutionNames.forSecretVersion(secret.name(), secret.arn(), versionId);
        if (dryRun) {
            base = ExecutionNames.dryRun(base);
        }
        String input = Json.write(new RotationRequest(null, secret.arn(), versionId, stackNamePrefix, null,
                dryRun ? true : null, null));
        String previousStatus = null;
        for (int n = 1; n <= ExecutionNames.MAX_ATTEMPTS; n++) {
            String name = ExecutionNames.attempt(base, n);
            Optional<String> status = starter.status(name);
            if (status.isPresent() && !CLOSED.contains(status.get())) {
                return new Result(Kind.ALREADY_RUNNING, name, secret.arn(), versionId, n, previousStatus);
            }
            if (status.isEmpty()) {
                if (starter.start(name, input) == ExecutionStarter.Started.STARTED) {
                    return new Result(Kind.STARTED, name, secret.arn(), versionId, n, previousStatus);
                }
                status = starter.status(name); // someone (the trigger) started it in between
                if (status.isPresent() && !CLOSED.contains(status.get())) {
                    return new Result(Kind.ALREADY_RUNNING, name, secret.arn(), versionId, n, previousStatus);
                }
            }
            previousStatus = status.orElse(null);
        }
        throw new IllegalStateException("version " + versionId + " of " + secret.arn() + " already has "
                + ExecutionNames.MAX_ATTEMPTS + " closed executions: start a run without --secret instead");
    }
}
