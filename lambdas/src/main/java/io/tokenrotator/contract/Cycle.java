package io.tokenrotator.contract;

import java.util.List;

/**
 * One credential cycle as the lifecycle workflow carries it from function to function, and as its record keeps it
 * ({@link CredentialRecord}). Holds ids, dates and decisions only: never a secret part.
 *
 * @param cycleId           the name of the lifecycle execution that began the cycle
 * @param executionId       the lifecycle execution working on it now (a later run resumes an unfinished cycle)
 * @param stage             where the cycle is
 * @param next              what the workflow does next (its Choice states route on it)
 * @param oldKeyId          the credential to retire (null when there was none: the first cycle creates one only)
 * @param pendingKeyId      created but not yet known to be stored (a retry deletes it and creates anew)
 * @param newKeyId          the credential the new secret version holds
 * @param newVersionId      that version
 * @param rotationExecution the rotation execution that propagates the new version (its name)
 * @param cutoverAt         (ISO-8601, like every date here) when every consumer was on the new version (the gate passed)
 * @param quietSince       the start of the quiet period: the old credential must not be used after it (the
 *                          cut-over, or when a later run resumed retirement after an outside use was fixed)
 * @param waitSeconds       how long the workflow's next Wait state waits
 * @param blocking          the stacks that keep the old credential from being retired, each with its reason
 * @param message           one line for people: why the cycle stopped, or what it did
 * @param audit             in a dry run, what each step would do
 */
public record Cycle(String cycleId, String executionId, String secretArn, String secretName, String kind,
                   String userName, boolean dryRun, CycleStage stage, CycleStep next, String oldKeyId,
                   String pendingKeyId, String newKeyId, String newVersionId, String rotationExecution,
                   String startedAt, String cutoverAt, String deactivatedAt, String quietSince, long waitSeconds,
                   List<String> blocking, String message, List<String> audit) {
    public Cycle {
        blocking = blocking == null ? List.of() : List.copyOf(blocking);
        audit = audit == null ? List.of() : List.copyOf(audit);
    }

    public Cycle at(CycleStage newStage, CycleStep newNext, String newMessage) {
        return new Cycle(cycleId, executionId, secretArn, secretName, kind, userName, dryRun, newStage, newNext,
                oldKeyId, pendingKeyId, newKeyId, newVersionId, rotationExecution, startedAt, cutoverAt,
                deactivatedAt, quietSince, waitSeconds, blocking, newMessage, audit);
    }

    /** The next Wait: {@code seconds}, or 0 in a dry run (its quiet and grace periods are not waited). */
    public Cycle waiting(long seconds) {
        return polling(dryRun ? 0 : seconds);
    }

    /** The next Wait, dry run or not: how long until a running execution is looked at again. */
    public Cycle polling(long seconds) {
        return new Cycle(cycleId, executionId, secretArn, secretName, kind, userName, dryRun, stage, next, oldKeyId,
                pendingKeyId, newKeyId, newVersionId, rotationExecution, startedAt, cutoverAt, deactivatedAt,
                quietSince, seconds, blocking, message, audit);
    }

    public Cycle withKeys(String pending, String newKey, String newVersion) {
        return new Cycle(cycleId, executionId, secretArn, secretName, kind, userName, dryRun, stage, next, oldKeyId,
                pending, newKey, newVersion, rotationExecution, startedAt, cutoverAt, deactivatedAt, quietSince,
                waitSeconds, blocking, message, audit);
    }

    public Cycle withRotation(String execution) {
        return new Cycle(cycleId, executionId, secretArn, secretName, kind, userName, dryRun, stage, next, oldKeyId,
                pendingKeyId, newKeyId, newVersionId, execution, startedAt, cutoverAt, deactivatedAt, quietSince,
                waitSeconds, blocking, message, audit);
    }

    public Cycle withDates(String cutover, String deactivated, String lastUse) {
        return new Cycle(cycleId, executionId, secretArn, secretName, kind, userName, dryRun, stage, next, oldKeyId,
                pendingKeyId, newKeyId, newVersionId, rotationExecution, startedAt, cutover, deactivated, lastUse,
                waitSeconds, blocking, message, audit);
    }

    public Cycle withBlocking(List<String> stacks) {
        return new Cycle(cycleId, executionId, secretArn, secretName, kind, userName, dryRun, stage, next, oldKeyId,
                pendingKeyId, newKeyId, newVersionId, rotationExecution, startedAt, cutoverAt, deactivatedAt,
                quietSince, waitSeconds, stacks, message, audit);
    }

    public Cycle resumedBy(String execution) {
        return new Cycle(cycleId, execution, secretArn, secretName, kind, userName, dryRun, stage, next, oldKeyId,
                pendingKeyId, newKeyId, newVersionId, rotationExecution, startedAt, cutoverAt, deactivatedAt,
                quietSince, waitSeconds, blocking, message, audit);
    }

    /** In a dry run: one more line of what would happen. */
    public Cycle noting(String line) {
        List<String> lines = new java.util.ArrayList<>(audit);
        lines.add(line);
        return new Cycle(cycleId, executionId, secretArn, secretName, kind, userName, dryRun, stage, next, oldKeyId,
                pendingKeyId, newKeyId, newVersionId, rotationExecution, startedAt, cutoverAt, deactivatedAt,
                quietSince, waitSeconds, blocking, message, lines);
    }
}
