package io.tokenrotator.store;

import io.tokenrotator.port.StackLeases;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link StackLeases} in memory, on a clock, for tests. */
public final class InMemoryStackLeases implements StackLeases {
    private final Clock clock;
    private final Map<String, Holder> leases = new HashMap<>();

    public InMemoryStackLeases(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Optional<Holder> acquire(String stackId, String runId, Duration timeToLive) {
        Holder current = leases.get(stackId);
        if (current != null && !current.runId().equals(runId) && clock.instant().isBefore(current.expiresAt())) {
            return Optional.of(current);
        }
        leases.put(stackId, new Holder(runId, clock.instant().plus(timeToLive)));
        return Optional.empty();
    }

    @Override
    public synchronized void release(String stackId, String runId) {
        leases.computeIfPresent(stackId, (k, h) -> h.runId().equals(runId) ? null : h);
    }
}
