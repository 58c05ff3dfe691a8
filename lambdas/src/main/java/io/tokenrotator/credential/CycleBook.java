package io.tokenrotator.credential;

import io.tokenrotator.contract.CredentialRecord;
import io.tokenrotator.contract.Cycle;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.CredentialRecords;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle's bookkeeping, shared by its steps: the managed credential a cycle is about, and its record. Every
 * stage a cycle reaches is saved (with a history line and a log line) before the workflow moves on, so a later run
 * resumes where an interrupted one stopped. A dry run reads but never saves.
 */
public final class CycleBook {
    /** History lines kept per credential: enough for many cycles, bounded so the record stays small. */
    static final int HISTORY_LIMIT = 200;

    private final ManagedCredentials managed;
    private final CredentialRecords records;
    private final Clock clock;
    private final JsonLog log;

    public CycleBook(ManagedCredentials managed, CredentialRecords records, Clock clock, JsonLog log) {
        this.managed = managed;
        this.records = records;
        this.clock = clock;
        this.log = log;
    }

    public Clock clock() {
        return clock;
    }

    public String now() {
        return clock.instant().toString();
    }

    /** The configuration of the cycle's credential; a secret no longer managed is an input error. */
    public ManagedCredential credential(Cycle cycle) {
        return managed.find(cycle.secretArn(), cycle.secretArn(), cycle.secretName()).orElseThrow(() ->
                new InvalidInputException("cycle.secretArn", cycle.secretArn() + " is not a managed credential of"
                        + " this deployment (managed: " + managed.ids() + ")"));
    }

    public ManagedCredentials managed() {
        return managed;
    }

    public Optional<CredentialRecord> load(String secretName) {
        return records.load(secretName);
    }

    /** Saves the cycle as the credential's latest, with a history line; a dry run saves nothing. */
    public Cycle save(Cycle cycle, String detail) {
        return save(cycle, detail, Map.of());
    }

    /** As {@link #save(Cycle, String)}, also recording which credential id new secret versions hold. */
    public Cycle save(Cycle cycle, String detail, Map<String, String> newKeysByVersion) {
        log.info("credential cycle", "secret", cycle.secretName(), "cycle", cycle.cycleId(), "stage", cycle.stage(),
                "dryRun", cycle.dryRun(), "detail", detail);
        if (cycle.dryRun()) {
            return cycle;
        }
        Optional<CredentialRecord> old = records.load(cycle.secretName());
        Map<String, String> keys = new HashMap<>(old.map(CredentialRecord::keysByVersion).orElse(Map.of()));
        keys.putAll(newKeysByVersion);
        List<CredentialRecord.Event> history = new ArrayList<>(old.map(CredentialRecord::history).orElse(List.of()));
        history.add(new CredentialRecord.Event(now(), cycle.cycleId(), cycle.stage(), detail));
        if (history.size() > HISTORY_LIMIT) {
            history = history.subList(history.size() - HISTORY_LIMIT, history.size());
        }
        records.save(new CredentialRecord(cycle.secretArn(), cycle.secretName(), cycle.userName(), keys, cycle,
                history));
        return cycle;
    }
}
