package io.tokenrotator.port;

import java.time.Duration;
import java.util.Optional;

/**
 * One lease per stack, so that two runs (two watched secrets changed within minutes) never update the same stack at
 * the same time. A run takes the lease before phase 1, renews it before every later update, and releases it when
 * the stack's result is recorded; a lease left by a run that died expires after its time to live.
 */
public interface StackLeases {
    /** Who holds a lease, and until when. */
    record Holder(String runId, java.time.Instant expiresAt) {}

    /**
     * Takes the stack's lease for {@code runId}, or renews it if the run holds it already, or takes it over if it has
     * expired. Returns the other run's lease when another run holds it.
     */
    Optional<Holder> acquire(String stackId, String runId, Duration timeToLive);

    /** Releases the lease if {@code runId} holds it; does nothing otherwise. */
    void release(String stackId, String runId);
}
