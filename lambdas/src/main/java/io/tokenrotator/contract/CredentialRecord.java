package io.tokenrotator.contract;

import java.util.List;
import java.util.Map;

/**
 * What Token Rotator keeps about one managed credential ({@code credentials/<secret name>/record.json} in the run
 * bucket): which credential id each secret version holds (ids are not secret, so no later step ever needs to read
 * the secret), the latest cycle, and the history of its stages. Never a secret part.
 */
public record CredentialRecord(String secretArn, String secretName, String userName,
                               Map<String, String> keysByVersion, Cycle cycle, List<Event> history) {
    /** One stage a cycle reached, when, and what happened. */
    public record Event(String at, String cycleId, CycleStage stage, String detail) {}

    public CredentialRecord {
        keysByVersion = keysByVersion == null ? Map.of() : Map.copyOf(keysByVersion);
        history = history == null ? List.of() : List.copyOf(history);
    }
}
