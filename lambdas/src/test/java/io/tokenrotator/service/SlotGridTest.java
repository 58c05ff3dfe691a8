package io.tokenrotator.service;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SlotGridTest {
    private static final Instant SLOT = Instant.parse("2026-01-01T00:10:00Z");

    private static long sentAtMillis(long nowMillis, int rate, boolean ownSlot, boolean rotateToken) {
        return SlotGrid.sendAt(SLOT.plusMillis(nowMillis), SLOT, rate, ownSlot, rotateToken).toEpochMilli()
                - SLOT.toEpochMilli();
    }

    @Test
    void aStacksOwnUpdateIsSentAtItsSlotOrAtOnceUpToHalfAPointAfterIt() {
        // 2 calls/s: points 500 ms apart
        assertThat(sentAtMillis(-700, 2, true, true)).as("early: waits for the slot").isZero();
        assertThat(sentAtMillis(200, 2, true, true)).as("a little late: at once").isEqualTo(200);
        assertThat(sentAtMillis(300, 2, true, true)).as("later: the next room point").isEqualTo(500);
        assertThat(sentAtMillis(-300, 2, true, false)).as("in place").isZero();
    }

    @Test
    void rotateTokenPhase2AndRetriesGoToThePointsBetweenTheSlots() {
        // RotateToken slots are two points apart: the odd points are the room the slots left for phase 2
        assertThat(sentAtMillis(61_200, 2, false, true)).isEqualTo(61_500);
        assertThat(sentAtMillis(61_600, 2, false, true)).isEqualTo(62_500);
        assertThat(sentAtMillis(61_500, 2, false, true)).as("on a room point").isEqualTo(61_500);
        assertThat(sentAtMillis(1, 1, false, true)).as("1 call/s").isEqualTo(1_000);
        assertThat(sentAtMillis(30_100, 2, true, true)).as("a throttled phase 1, tried again").isEqualTo(30_500);
    }

    @Test
    void inPlaceRetriesGoToTheNextPointAndNoSlotMeansAtOnce() {
        assertThat(sentAtMillis(30_100, 2, true, false)).isEqualTo(30_500);
        assertThat(sentAtMillis(30_600, 2, true, false)).isEqualTo(31_000);
        Instant now = Instant.parse("2026-01-01T00:00:00.123Z");
        assertThat(SlotGrid.sendAt(now, null, 2, true, true)).isEqualTo(now);
    }
}
