package io.tokenrotator.contract;

/** Where a credential cycle is. A cycle in a stage that is not {@link #closed()} is resumed by the next run. */
public enum CycleStage {
    /** Begun: nothing created yet. */
    STARTED,
    /** A new credential exists (its id is recorded) and is being stored in the secret. */
    CREATING,
    /** The new credential is the secret's AWSCURRENT version. */
    STORED,
    /** The rotation of every consumer is running. */
    PROPAGATING,
    /** Some consumer did not end on the new version: the old credential stays active. */
    BLOCKED,
    /** Every consumer is on the new version: the quiet period runs. */
    PROPAGATED,
    /** The old credential was used after the cut-over by something outside the rotated stacks: kept active. */
    IN_USE,
    /** The old credential is inactive: the grace period runs. */
    DEACTIVATED,
    /** The old credential was made active again during the grace period: kept. */
    REACTIVATED,
    /** Done: the old credential is deleted (or there was none). */
    RETIRED,
    /** Refused before anything changed (two active keys, a cycle running elsewhere): nothing to resume. */
    REFUSED;

    public boolean closed() {
        return this == RETIRED || this == REFUSED;
    }
}
