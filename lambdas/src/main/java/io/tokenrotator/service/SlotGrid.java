package io.tokenrotator.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When, to the millisecond, Update Stack sends its UpdateStack call. A Wait state counts whole seconds, so a stack
 * that waited for its start slot reaches Update Stack anywhere in the second before it; calls placed at random
 * within their seconds collide in the account's token bucket even below its rate (two calls a second at random
 * times find the bucket empty about as often as full). So every call of a run is sent on one grid, points
 * {@code 1 / updateStackRate} seconds apart through the start slots ({@link StartSlots} lays the slots on it):
 *
 * <ul>
 *   <li>a stack's own slot update (RotateToken phase 1, the one in-place update), at its slot or up to half a point
 *   after it, is sent at the slot (waiting for it if early);</li>
 *   <li>every other call (RotateToken phase 2, a restore, any try after a throttled, busy or leased one, a slot
 *   missed by more than half a point) goes to the next free point: for RotateToken the points between two slots,
 *   the room the slots left for phase 2 (slots are two points apart); in place, the next point.</li>
 * </ul>
 *
 * The wait is at most two points (2 s at the default budget of 1 call a second), spent by the function just before
 * its UpdateStack call, after its other reads.
 */
public final class SlotGrid {
    private SlotGrid() {}

    /** Sleeps until an instant of a clock that may run faster than real time (the local runner's). */
    public interface Sleeper {
        void sleepUntil(Instant target);
    }

    /**
     * The instant to send the update of a stack whose start slot is {@code slot} (null: at once), at {@code rate}
     * calls a second. {@code ownSlot}: this is the stack's slot update (see above).
     */
    public static Instant sendAt(Instant now, Instant slot, int rate, boolean ownSlot, boolean rotateToken) {
        if (slot == null) {
            return now;
        }
        long point = 1000L / Math.max(1, rate);
        long sinceSlot = Duration.between(slot, now).toMillis();
        if (ownSlot && sinceSlot <= point / 2) {
            return sinceSlot < 0 ? slot : now;
        }
        // the next point after now, then for RotateToken the next one an odd number of points from the slot
        long k = Math.floorDiv(sinceSlot + point - 1, point);
        if (rotateToken && Math.floorMod(k, 2) == 0) {
            k++;
        }
        return slot.plusMillis(k * point);
    }

    /**
     * Sleeps on {@code clock} until {@code target}, in short real sleeps that re-read the clock: a simulated clock may
     * run faster than real time, and the sleeper does not know by how much.
     */
    public static Sleeper sleeperOn(Clock clock) {
        return target -> {
            while (true) {
                long left = Duration.between(clock.instant(), target).toMillis();
                if (left <= 0) {
                    return;
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(20, left / 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        };
    }
}
