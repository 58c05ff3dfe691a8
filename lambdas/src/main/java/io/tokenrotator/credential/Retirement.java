package io.tokenrotator.credential;

import io.tokenrotator.contract.Cycle;
import io.tokenrotator.contract.CycleStage;
import io.tokenrotator.contract.CycleStep;

import java.time.Instant;
import java.util.Optional;

/**
 * Step 5 of a cycle, AWS's own order for access keys (IAM user guide, "Rotating access keys"): after the quiet
 * period, check the old credential's last use; used after the cut-over (and after what an earlier check already
 * reported) means something outside the rotated stacks still uses it: keep it active and say where. Otherwise
 * deactivate it, wait the grace period (an operator can reactivate it meanwhile), and delete it unless it was
 * reactivated.
 */
public final class Retirement {
    private final CycleBook book;
    private final CredentialKind kind;

    public Retirement(CycleBook book, CredentialKind kind) {
        this.book = book;
        this.kind = kind;
    }

    public Cycle checkLastUse(Cycle cycle) {
        ManagedCredential credential = book.credential(cycle);
        CredentialKind.LastUse use = kind.lastUse(credential, cycle.oldKeyId());
        String since = cycle.quietSince() != null ? cycle.quietSince() : cycle.cutoverAt();
        Optional<Instant> after = use.date().filter(d -> since == null || d.isAfter(Instant.parse(since)));
        String used = use.date().map(d -> "last used " + d + " (" + use.service() + ", " + use.region() + ")")
                .orElse("never used");
        if (cycle.dryRun()) {
            return cycle.at(cycle.stage(), CycleStep.DEACTIVATE, null).noting("after a quiet period of "
                    + credential.quietPeriodSeconds() + " s would check the last use of " + cycle.oldKeyId()
                    + " (now: " + used + ") and deactivate it if unused since the cut-over");
        }
        if (after.isPresent()) {
            String message = cycle.oldKeyId() + " was used at " + after.get() + " by " + use.service() + " in "
                    + use.region() + ", after " + since + " (every known consumer had moved to " + cycle.newKeyId()
                    + " at " + cycle.cutoverAt() + "): something outside the rotated stacks still uses it, so it"
                    + " stays active. Find it (CloudTrail events with this access key id), move it to the secret,"
                    + " then start the cycle again: it retires the key if nothing uses it during a new quiet period";
            Cycle inUse = cycle.at(CycleStage.IN_USE, CycleStep.IN_USE, message);
            return book.save(inUse, message);
        }
        return cycle.at(cycle.stage(), CycleStep.DEACTIVATE, null);
    }

    public Cycle deactivate(Cycle cycle) {
        ManagedCredential credential = book.credential(cycle);
        if (cycle.dryRun()) {
            return cycle.at(CycleStage.DEACTIVATED, CycleStep.DELETE, null).noting("would deactivate "
                    + cycle.oldKeyId() + ", wait a grace period of " + credential.gracePeriodSeconds()
                    + " s, then delete it unless it was reactivated");
        }
        kind.deactivate(credential, cycle.oldKeyId());
        Cycle deactivated = cycle.withDates(cycle.cutoverAt(), book.now(), cycle.quietSince())
                .at(CycleStage.DEACTIVATED, CycleStep.DELETE, null).waiting(credential.gracePeriodSeconds());
        return book.save(deactivated, "deactivated " + cycle.oldKeyId() + "; deleted after "
                + credential.gracePeriodSeconds() + " s unless reactivated");
    }

    public Cycle delete(Cycle cycle) {
        ManagedCredential credential = book.credential(cycle);
        Optional<CredentialKind.State> old = kind.list(credential).stream()
                .filter(k -> k.id().equals(cycle.oldKeyId())).findFirst();
        if (cycle.dryRun()) {
            return cycle.at(CycleStage.RETIRED, CycleStep.DONE, null).noting("would delete " + cycle.oldKeyId());
        }
        if (old.isPresent() && old.get().active()) {
            String message = cycle.oldKeyId() + " was made active again during the grace period, so it was not"
                    + " deleted: whoever reactivated it still needs it. Move that user to the secret; the next cycle"
                    + " checks its last use again before retiring it";
            return book.save(cycle.at(CycleStage.REACTIVATED, CycleStep.REACTIVATED, message), message);
        }
        if (old.isPresent()) {
            kind.delete(credential, cycle.oldKeyId());
        }
        Cycle retired = cycle.at(CycleStage.RETIRED, CycleStep.DONE, "retired " + cycle.oldKeyId() + "; "
                + cycle.newKeyId() + " is the only key");
        return book.save(retired, old.isPresent() ? "deleted " + cycle.oldKeyId() : cycle.oldKeyId()
                + " was already deleted");
    }
}
