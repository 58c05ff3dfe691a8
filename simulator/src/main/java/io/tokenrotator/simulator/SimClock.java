package io.tokenrotator.simulator;

import java.time.Duration;
import java.time.Instant;

/** The simulator's notion of time. Tests drive a {@link Manual} clock; local runs use a {@link Scaled} one. */
public interface SimClock {
    Instant now();

    /**
     * The wall-clock time at which this clock will show {@code simulated}: what a client that runs on real time (an
     * SDK credentials provider deciding when to refresh) must be told. The same instant unless time is scaled.
     */
    default Instant toWallClock(Instant simulated) {
        return simulated;
    }

    /** This clock as a {@link java.time.Clock}, for production code that takes one (stack leases). */
    default java.time.Clock asJavaClock() {
        SimClock self = this;
        return new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return self.now();
            }
        };
    }

    static Manual manual() {
        return new Manual(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** A clock that moves only when told to. */
    final class Manual implements SimClock {
        private Instant now;

        public Manual(Instant start) {
            this.now = start;
        }

        @Override
        public synchronized Instant now() {
            return now;
        }

        public synchronized void advance(Duration by) {
            now = now.plus(by);
        }
    }

    /**
     * Real time multiplied by a factor: with factor 60 a simulated one-minute update takes one real second.
     * The local runner scales the workflow's Wait states by the same factor, so the ratio of poll interval to
     * update duration (and with it the workflow's behaviour) is unchanged.
     */
    final class Scaled implements SimClock {
        private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
        private final long realStartNanos = System.nanoTime();
        private final Instant wallStart = Instant.now();
        private final double factor;

        public Scaled(double factor) {
            if (factor <= 0) {
                throw new IllegalArgumentException("time scale factor must be positive, got " + factor);
            }
            this.factor = factor;
        }

        public double factor() {
            return factor;
        }

        @Override
        public Instant toWallClock(Instant simulated) {
            return wallStart.plusNanos((long) (Duration.between(start, simulated).toNanos() / factor));
        }

        @Override
        public Instant now() {
            long elapsed = System.nanoTime() - realStartNanos;
            return start.plusNanos((long) (elapsed * factor));
        }
    }
}
