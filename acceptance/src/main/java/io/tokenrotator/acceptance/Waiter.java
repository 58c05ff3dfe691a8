package io.tokenrotator.acceptance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls until something is there or a deadline passes. The tests pass a clock and a pause that do not wait. */
final class Waiter {
    /** Waits between two polls. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Thrown when the deadline passed; its message says what did not happen in time. */
    static final class TimedOut extends RuntimeException {
        TimedOut(String message) {
            super(message);
        }
    }

    private final Clock clock;
    private final Pause pause;
    private final Duration interval;

    Waiter(Clock clock, Pause pause, Duration interval) {
        this.clock = clock;
        this.pause = pause;
        this.interval = interval;
    }

    /** Really waits, with the system clock. */
    static Waiter realTime(Duration interval) {
        return new Waiter(Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), interval);
    }

    Instant now() {
        return clock.instant();
    }

    /** Polls {@code probe} every interval until it answers, or throws {@link TimedOut} naming {@code what}. */
    <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            Optional<T> answer = probe.get();
            if (answer.isPresent()) {
                return answer.get();
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new TimedOut(what + " did not happen within " + Durations.text(timeout));
            }
            try {
                pause.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TimedOut("interrupted while waiting: " + what);
            }
        }
    }
}
