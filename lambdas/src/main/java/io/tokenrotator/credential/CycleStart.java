package io.tokenrotator.credential;

import io.tokenrotator.contract.BeginCycleInput;
import io.tokenrotator.contract.CredentialRecord;
import io.tokenrotator.contract.Cycle;
import io.tokenrotator.contract.CycleStage;
import io.tokenrotator.contract.CycleStep;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.port.ExecutionLookup;
import io.tokenrotator.port.SecretValueWriter;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.port.SecretsPort.SecretDescription;
import io.tokenrotator.service.InputRules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The first two steps of a credential cycle. <b>Begin</b>: finds the managed credential, resumes an unfinished
 * cycle where it stopped, or starts a new one after checking the issuer's limit (IAM: two keys per user; an inactive
 * key that the secret's current version does not hold is a leftover of an earlier cycle and is deleted, anything
 * else stops the cycle with the reason). <b>Create</b>: makes the new credential and stores it as the secret's
 * AWSCURRENT version in the same invocation, so its secret part never leaves it.
 */
public final class CycleStart {
    private final CycleBook book;
    private final CredentialKind kind;
    private final SecretsPort secrets;
    private final SecretValueWriter writer;
    private final ExecutionLookup executions;

    public CycleStart(CycleBook book, CredentialKind kind, SecretsPort secrets, SecretValueWriter writer,
                      ExecutionLookup executions) {
        this.book = book;
        this.kind = kind;
        this.secrets = secrets;
        this.writer = writer;
        this.executions = executions;
    }

    public Cycle begin(BeginCycleInput input) {
        if (input.request() == null) {
            throw new InvalidInputException("request", "is missing: expected {\"secretId\": ..., \"dryRun\": ...}");
        }
        String secretId = InputRules.secretId("request.secretId", input.request().secretId());
        if (input.executionId() == null || !input.executionId().contains(":execution:")) {
            throw new InvalidInputException("executionId", "expected the execution's ARN ($$.Execution.Id), got "
                    + input.executionId());
        }
        boolean dryRun = Boolean.TRUE.equals(input.request().dryRun());
        SecretDescription secret = secrets.describeSecret(secretId).orElseThrow(() ->
                new InvalidInputException("request.secretId", "secret " + secretId + " does not exist"));
        ManagedCredential credential = book.managed().find(secretId, secret.arn(), secret.name()).orElseThrow(() ->
                new InvalidInputException("request.secretId", secret.name() + " is not a managed credential of this"
                        + " deployment (managed: " + book.managed().ids() + ")"));
        Optional<CredentialRecord> record = book.load(secret.name());
        Optional<Cycle> open = record.map(CredentialRecord::cycle).filter(c -> !c.stage().closed());
        if (open.isPresent()) {
            return resume(open.get(), input.executionId(), dryRun, credential);
        }
        String cycleId = input.executionId().substring(input.executionId().lastIndexOf(':') + 1);
        Cycle cycle = new Cycle(cycleId, input.executionId(), secret.arn(), secret.name(), credential.kind(),
                credential.userName(), dryRun, CycleStage.STARTED, CycleStep.CREATE, null, null, null, null, null,
                book.now(), null, null, null, 0, List.of(), null, List.of());
        String currentKey = secret.currentVersion()
                .map(v -> record.map(CredentialRecord::keysByVersion).orElse(Map.of()).get(v)).orElse(null);
        List<CredentialKind.State> keys = kind.list(credential);
        for (CredentialKind.State key : keys) {
            if (!key.active() && key.id().equals(currentKey)) {
                return stopped(cycle, "the secret's current version holds " + key.id() + ", which is Inactive:"
                        + " consumers that resolve it fail. Reactivate it (aws iam update-access-key --user-name "
                        + credential.userName() + " --access-key-id " + key.id() + " --status Active) and start again");
            }
        }
        for (CredentialKind.State key : keys) {
            if (!key.active()) { // a leftover: inactive, and not what the secret holds
                if (dryRun) {
                    cycle = cycle.noting("would delete " + key.id() + " (Inactive, not held by the secret's current"
                            + " version): a leftover of an earlier cycle");
                } else {
                    kind.delete(credential, key.id());
                    book.save(cycle.at(CycleStage.STARTED, CycleStep.CREATE, null), "deleted " + key.id()
                            + " (Inactive, not held by the secret's current version)");
                }
            }
        }
        List<String> active = keys.stream().filter(CredentialKind.State::active).map(CredentialKind.State::id)
                .toList();
        if (active.size() >= kind.limit()) {
            return stopped(cycle, "user " + credential.userName() + " already has " + active.size() + " active"
                    + " access keys (" + String.join(", ", active) + "); a new one would exceed IAM's limit of "
                    + kind.limit() + ", and Token Rotator does not guess which one consumers use."
                    + (currentKey == null ? "" : " The secret holds " + currentKey + ".")
                    + " Deactivate and delete the one nothing uses (aws iam get-access-key-last-used), then start again");
        }
        String oldKey = active.isEmpty() ? null : active.get(0);
        cycle = new Cycle(cycleId, input.executionId(), secret.arn(), secret.name(), credential.kind(),
                credential.userName(), dryRun, CycleStage.STARTED, CycleStep.CREATE, oldKey, null, null, null, null,
                book.now(), null, null, null, 0, List.of(), null, cycle.audit());
        if (dryRun) {
            cycle = cycle.noting("would create a new access key for " + credential.userName() + " (it has "
                    + active.size() + " active) and then retire " + (oldKey == null ? "nothing" : oldKey));
        }
        return book.save(cycle, "begun: old key " + (oldKey == null ? "none" : oldKey));
    }

    /** An unfinished cycle: continue where it stopped, unless another execution is still working on it. */
    private Cycle resume(Cycle open, String executionId, boolean dryRun, ManagedCredential credential) {
        if (!open.executionId().equals(executionId)
                && executions.status(open.executionId()).filter("RUNNING"::equals).isPresent()) {
            return new Cycle(open.cycleId(), executionId, open.secretArn(), open.secretName(), open.kind(),
                    open.userName(), dryRun, open.stage(), CycleStep.STOP, open.oldKeyId(), null, null, null, null,
                    open.startedAt(), null, null, null, 0, List.of(), "cycle " + open.cycleId() + " of "
                    + open.secretName() + " is still running in " + open.executionId() + "; one cycle at a time",
                    List.of());
        }
        CycleStep next = switch (open.stage()) {
            case STARTED, CREATING -> CycleStep.CREATE;
            case STORED, PROPAGATING, BLOCKED -> CycleStep.PROPAGATE;
            case PROPAGATED, IN_USE, REACTIVATED -> CycleStep.RETIRE;
            case DEACTIVATED -> CycleStep.DELETE;
            case RETIRED, REFUSED -> CycleStep.DONE;
        };
        long wait = switch (next) {
            case RETIRE -> credential.quietPeriodSeconds();
            case DELETE -> Math.max(0, Duration.between(book.clock().instant(),
                    Instant.parse(open.deactivatedAt()).plusSeconds(credential.gracePeriodSeconds())).toSeconds());
            default -> 0;
        };
        Cycle resumed = new Cycle(open.cycleId(), executionId, open.secretArn(), open.secretName(), open.kind(),
                open.userName(), dryRun, open.stage(), next, open.oldKeyId(), open.pendingKeyId(), open.newKeyId(),
                open.newVersionId(), open.rotationExecution(), open.startedAt(), open.cutoverAt(),
                open.deactivatedAt(), next == CycleStep.RETIRE ? book.now() : open.quietSince(), 0, open.blocking(),
                null, List.of()).waiting(wait);
        if (dryRun) {
            resumed = resumed.noting("would resume cycle " + open.cycleId() + " at stage " + open.stage()
                    + " (next: " + next + ")");
        }
        return book.save(resumed, "resumed by " + executionId + " at " + next);
    }

    private Cycle stopped(Cycle cycle, String why) {
        Cycle stopped = cycle.at(CycleStage.REFUSED, CycleStep.STOP, why);
        return stopped.dryRun() ? stopped.noting("would stop: " + why) : book.save(stopped, why);
    }

    public Cycle create(Cycle cycle) {
        ManagedCredential credential = book.credential(cycle);
        if (cycle.dryRun()) {
            return cycle.at(CycleStage.STORED, CycleStep.PROPAGATE, null)
                    .noting("would store the new key in " + cycle.secretName() + " as its AWSCURRENT version");
        }
        String token = clientRequestToken(cycle.cycleId());
        // a retried invocation gets the input the first one got: what that one did is in the record
        Cycle given = cycle;
        Optional<Cycle> recorded = book.load(cycle.secretName()).map(CredentialRecord::cycle)
                .filter(c -> c.cycleId().equals(given.cycleId()));
        if (recorded.isPresent() && recorded.get().newKeyId() != null) {
            return recorded.get().resumedBy(given.executionId()).at(CycleStage.STORED, CycleStep.PROPAGATE, null);
        }
        if (recorded.isPresent() && recorded.get().pendingKeyId() != null) {
            cycle = cycle.withKeys(recorded.get().pendingKeyId(), null, null);
        }
        if (cycle.pendingKeyId() != null) {
            Optional<SecretDescription> secret = secrets.describeSecret(cycle.secretArn());
            if (secret.map(s -> s.versionIdsToStages().containsKey(token)).orElse(false)) {
                return stored(cycle, cycle.pendingKeyId(), token); // stored before the invocation was lost
            }
            // created by an attempt that ended before storing it: its secret part is gone, nothing can use it
            // (the attempt may also have deleted it itself when storing failed)
            String orphan = cycle.pendingKeyId();
            if (kind.list(credential).stream().anyMatch(k -> k.id().equals(orphan))) {
                kind.delete(credential, orphan);
            }
            cycle = book.save(cycle.withKeys(null, null, null), "removed " + orphan
                    + ": created but never stored by an earlier attempt");
        }
        Cycle before = cycle;
        CredentialKind.Created created = kind.createAndStore(credential,
                id -> book.save(before.withKeys(id, null, null).at(CycleStage.CREATING, CycleStep.CREATE, null),
                        "created " + id),
                value -> writer.put(before.secretArn(), token, value));
        return stored(cycle, created.id(), created.versionId());
    }

    private Cycle stored(Cycle cycle, String keyId, String versionId) {
        Cycle stored = cycle.withKeys(null, keyId, versionId).at(CycleStage.STORED, CycleStep.PROPAGATE, null);
        return book.save(stored, "stored " + keyId + " as version " + versionId, Map.of(versionId, keyId));
    }

    /**
     * The PutSecretValue token of a cycle: the same for every attempt, so a repeated put creates no second version;
     * a UUID (36 characters, within the 32-64 PutSecretValue allows) derived from the cycle id.
     */
    static String clientRequestToken(String cycleId) {
        return UUID.nameUUIDFromBytes(("token-rotator-cycle|" + cycleId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

}
