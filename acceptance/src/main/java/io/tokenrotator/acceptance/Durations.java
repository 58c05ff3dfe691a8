package io.tokenrotator.acceptance;

import java.time.Duration;

/** Durations as a person reads them: "45 s", "3 min 05 s", "1 h 02 min". */
final class Durations {
    private Durations() {}

    static String text(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format("%d min %02d s", s / 60, s % 60);
        }
        return String.format("%d h %02d min", s / 3600, s % 3600 / 60);
    }
}
