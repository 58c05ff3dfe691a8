package io.tokenrotator.credential;

import java.time.Clock;
import java.time.Instant;

/**
 * Waits inside an invocation until a clock reaches a moment. Reads the clock it is given, so a local run whose clock
 * runs faster than real time waits its simulated seconds, not real ones.
 */
final class Pause {
    private Pause() {}

    static void until(Clock clock, Instant moment) {
        while (clock.instant().isBefore(moment)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
    }
}
