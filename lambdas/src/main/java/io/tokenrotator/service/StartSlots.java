package io.tokenrotator.service;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.PlannedStack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Paces a run by its UpdateStack rate budget: every UpdateStack call the plan expects gets its own point in time,
 * and no two calls share one. The points are {@code 1 / (0.9 x rate)} seconds apart from the run's start
 * (the plan fills nine tenths of the budget, see below); a RotateToken
 * stack takes two (phase 1, and phase 2 at least {@link #phaseGap} later, the first free point from there), an
 * in-place stack one. Stacks take the first free point in plan order, so the first phase-2 calls fill the points
 * between later stacks' phase-1 calls and the run sends its calls at the rate, evenly spaced.
 *
 * <p>Why points and not seconds: the account's limit is a token bucket (a rate and a small burst). Calls placed at
 * random within whole seconds collide in it even below the rate, and each throttled retry lands in a second that is
 * already full: at a budget equal to the limit, half the calls were throttled. Calls placed to the millisecond, each
 * at its own point, fit the bucket. A Wait state counts whole seconds, so the workflow waits until a little before a
 * point ({@link #LEAD}: Load Planned Stack's {@code waitUntil}, and Stack Status's next check before phase 2), and
 * Update Stack sends the call at the point itself ({@link #awaitSend}), after its other reads.
 *
 * <p>A stack whose first update comes well after its slot (the Map starts its children over some time, the first
 * ones meet cold functions, a child may be redriven) does not fire at once: every other late stack would fire with
 * it, on the points of the stacks that are on time. It takes its late points instead, its own in a second round
 * planned like the first from where the first round's slots end (on the points its phase-2 calls leave free): the
 * late stacks keep their order and their spacing, behind every stack that was on time. Only when those have passed
 * too does a stack fire at once.
 *
 * <p>What is left unplanned (a retry after a throttled, busy or leased call, a phase 1 that took longer than the
 * gap, a restore, a call delayed on its way) is sent when it comes, and needs room in the account's bucket: with
 * every point planned, each such call takes a planned call's token, that call is throttled and tried again, and the
 * disturbance never drains. So the plan fills nine tenths ({@link #PLANNED_TENTHS}) of the budget and leaves a tenth free, which
 * drains it (a tenth of the rate's tokens a second): at a budget equal to the limit, the run takes a ninth longer
 * than a fully packed plan would, and is throttled rarely instead of on every other call.
 */
public final class StartSlots {
    /**
     * How late a stack's first update may come and still be sent (at Load Planned Stack, and again at Update Stack):
     * a call a few seconds late is one more call in a second that has room for it (the tenth of the budget the plan
     * leaves free); a stack later than that (the Map starting its children, cold functions) takes its late points.
     * Every other call that comes after its point is sent at once.
     */
    static final Duration LATE_AFTER = Duration.ofSeconds(5);
    /**
     * How long before its point the workflow hands a call to Update Stack, which then waits for the point itself:
     * room for the way there (a Wait state ends within its second; a cold function takes 1-2 s to start; the local
     * interpreter, busy with a thousand executions, is seconds late at x5), paid as up to 6 s of the function's time.
     */
    public static final Duration LEAD = Duration.ofSeconds(5);
    /** The longest Update Stack waits for a point (its Task times out after 120 s); a later point is not waited for. */
    static final Duration MAX_SEND_WAIT = Duration.ofSeconds(60);
    /** Phase 2's point is at least this many status-check intervals (pollSeconds) after phase 1's. */
    static final int PHASE_GAP_POLLS = 4;
    /**
     * Before the first slot, the run's children start and load: every one calls Load Planned Stack first, and Lambda
     * adds at most 1,000 execution environments to a function every 10 seconds ("Lambda scaling behavior", AWS Lambda
     * developer guide), each a cold start of a few seconds. So the first slot comes 10 ms per stack (10 s per
     * thousand) plus {@link #LEAD} after the plan; a child that is later still takes its late points.
     */
    public static Duration startAllowance(int stacks) {
        return Duration.ofMillis(10L * stacks).plus(LEAD);
    }

    /** The share of the budget the plan fills, in tenths: the rest is room for the calls no plan can place. */
    static final int PLANNED_TENTHS = 9;

    private StartSlots() {}

    /**
     * The least time between a RotateToken stack's phase-1 point and its phase-2 point: what phase 1 is expected to
     * take and be seen settled in, four status-check intervals (80 s at the default pollSeconds of 20).
     */
    static Duration phaseGap(int pollSeconds) {
        return Duration.ofSeconds((long) PHASE_GAP_POLLS * pollSeconds);
    }

    /** The planned stacks, in order, each with its points counted from {@code start} at {@code rate} calls a second. */
    public static List<PlannedStack> assign(List<PlannedStack> planned, Instant start, int rate, int pollSeconds) {
        int gapPoints = Math.toIntExact((phaseGap(pollSeconds).toMillis() * rate * PLANNED_TENTHS + 9_999) / 10_000);
        // a fleet whose first updates all fit before the first phase-2 point reserves none: its phase-2 calls come
        // after every first update, and go when their stacks are ready rather than wait up to a gap without resources
        boolean reservePhase2 = planned.size() > gapPoints;
        Grid grid = new Grid(gapPoints, reservePhase2);
        int[][] own = new int[planned.size()][];
        for (int i = 0; i < planned.size(); i++) {
            own[i] = grid.take(planned.get(i).convention());
        }
        int[][] late = new int[planned.size()][]; // the second round goes on where the first round's slots end
        for (int i = 0; i < planned.size(); i++) {
            late[i] = grid.take(planned.get(i).convention());
        }
        List<PlannedStack> slotted = new ArrayList<>(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            PlannedStack p = planned.get(i);
            boolean twoPhases = own[i].length > 1; // a RotateToken stack with a reserved phase-2 point
            slotted.add(new PlannedStack(p.index(), p.stackName(), p.stackId(), p.status(), p.parameterValue(),
                    p.convention(), p.parameterName(), p.target(), at(start, own[i][0], rate),
                    at(start, late[i][0], rate), twoPhases ? at(start, own[i][1], rate) : null,
                    twoPhases ? at(start, late[i][1], rate) : null));
        }
        return slotted;
    }

    /**
     * The run's points, taken in plan order: a stack's first update takes the first free point from where the
     * previous stack's first update went, its phase 2 the first free point at least the gap after that.
     */
    private static final class Grid {
        private final BitSet taken = new BitSet();
        private final int gapPoints;
        private final boolean reservePhase2;
        private int cursor;

        Grid(int gapPoints, boolean reservePhase2) {
            this.gapPoints = gapPoints;
            this.reservePhase2 = reservePhase2;
        }

        int[] take(Convention convention) {
            int first = taken.nextClearBit(cursor);
            taken.set(first);
            cursor = first + 1;
            if (convention != Convention.ROTATE_TOKEN || !reservePhase2) {
                return new int[] {first};
            }
            int second = taken.nextClearBit(first + gapPoints);
            taken.set(second);
            return new int[] {first, second};
        }
    }

    /** The instant of {@code point}: points are {@code 1 / (0.9 x rate)} seconds apart. */
    private static String at(Instant start, long point, int rate) {
        return start.plusMillis(point * 10_000 / ((long) rate * PLANNED_TENTHS)).toString();
    }

    /**
     * The points the stack aims at when it loads at {@code now}: its own, or its late ones when it loads more than
     * {@link #LATE_AFTER} after its own slot; {@code now} for both without a slot. {@code target} is the point of the
     * update that sets the target value: phase 2's, or the in-place update's (its slot).
     */
    public record Points(Instant slot, Instant target, Instant lateSlot, Instant lateTarget) {}

    /**
     * {@code lateSlot} and {@code lateTarget} are where Update Stack sends a first update that comes too late for its
     * point ({@link #missed}): the late round's points while the stack aims at its own, the same points once it aims
     * at its late ones (there is nothing later to go to). Phase 2 never goes to the late round (the stack is without
     * its resources until it is sent): a RotateToken stack's late target is its target.
     */
    public static Points points(PlannedStack stack, Instant now) {
        if (stack.notBefore() == null) {
            return new Points(now, now, now, now);
        }
        Instant own = Instant.parse(stack.notBefore());
        Instant lateSlot = stack.lateSlot() == null ? own : Instant.parse(stack.lateSlot());
        boolean late = now.isAfter(own.plus(LATE_AFTER));
        Instant slot = late ? lateSlot : own;
        String phase2 = late && stack.latePhase2Slot() != null ? stack.latePhase2Slot() : stack.phase2Slot();
        Instant target = phase2 == null ? slot : Instant.parse(phase2);
        // the late target: an in-place stack's one update may go late; a RotateToken stack's phase 2 never does
        return new Points(slot, target, lateSlot, stack.convention() == Convention.IN_PLACE ? lateSlot : target);
    }

    /**
     * Whether a stack's first update, reaching Update Stack at {@code now}, has missed its point {@code sendAt} by
     * more than {@link #LATE_AFTER} while a later point ({@code lateSendAt}) is still to come: it is then not sent
     * (late calls come together, on the points of the stacks on time) but loaded again for its late points. A call
     * without a later point is sent, late or not.
     */
    public static boolean missed(Instant sendAt, Instant lateSendAt, Instant now) {
        return sendAt != null && lateSendAt != null && lateSendAt.isAfter(sendAt)
                && now.isAfter(sendAt.plus(LATE_AFTER));
    }

    /**
     * When the workflow's Wait for a point ends: {@link #LEAD} before it, to the whole second below (a Wait state's
     * timestamp). An absolute time, not seconds from the answer: a Wait counted from when Load Planned Stack's answer
     * arrives would end late by however long the answer took (seconds, when a thousand children start at once).
     * It may have passed: the Wait then ends at once.
     */
    public static Instant waitUntil(Instant point) {
        return point.minus(LEAD).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** Sleeps until an instant of a clock that may run faster than real time (the local runner's). */
    public interface Sleeper {
        void sleepUntil(Instant target);
    }

    /**
     * Waits for {@code sendAt} (none: returns at once) when it is ahead of {@code now} by at most
     * {@link #MAX_SEND_WAIT}: Update Stack's last step before its UpdateStack call.
     */
    public static void awaitSend(Instant sendAt, Instant now, Sleeper sleeper) {
        if (sendAt != null && sendAt.isAfter(now) && !sendAt.isAfter(now.plus(MAX_SEND_WAIT))) {
            sleeper.sleepUntil(sendAt);
        }
    }

    /**
     * Sleeps on {@code clock} until {@code target}, in short real sleeps that re-read the clock: a simulated clock may
     * run faster than real time, and the sleeper does not know by how much.
     */
    public static Sleeper sleeperOn(Clock clock) {
        return target -> {
            for (Instant now = clock.instant(); now.isBefore(target); now = clock.instant()) {
                long left = Duration.between(now, target).toMillis();
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
