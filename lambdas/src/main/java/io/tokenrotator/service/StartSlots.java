package io.tokenrotator.service;

import io.tokenrotator.contract.PlannedStack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Paces a run by its UpdateStack rate budget: each planned stack gets a start slot, the time its first update may be
 * sent. A stack's slot reserves the updates it takes ({@link io.tokenrotator.contract.Convention#updates()}: 2 for
 * a RotateToken stack, 1 in place), so stack {@code i} starts {@code (updates of the stacks before it) / rate}
 * seconds after the run's start, and the run as a whole sends about {@code rate} UpdateStack calls a second: phase 1
 * in the slots, phase 2 one update duration later, in the room the slots left for it. The workflow waits for the
 * slot with a Wait state (Load Planned Stack returns the seconds), so pacing works alike in Step Functions and in
 * the local interpreter, and the Map's concurrency is only a safety cap.
 *
 * <p>A stack whose execution loads after its slot has passed (the Map starts its children over some time, the first
 * ones meet cold functions, a child may be redriven) does not fire at once: every other late stack would fire with
 * it, in the slots of the stacks that are on time. It takes its late slot instead, its own place in a second round
 * of slots that begins when the first round ends ({@code (all updates + updates before it) / rate} after the start):
 * the late stacks keep their order and their spacing, behind every stack that was on time. Only when that slot has
 * passed too does a stack fire at once.
 */
public final class StartSlots {
    /** How late a stack may load and still take its own slot (a Wait state counts whole seconds). */
    static final Duration LATE_AFTER = Duration.ofSeconds(1);

    private StartSlots() {}

    /** The planned stacks, in order, each with its slot counted from {@code start} at {@code rate} calls a second. */
    public static List<PlannedStack> assign(List<PlannedStack> planned, Instant start, int rate) {
        long allUpdates = planned.stream().mapToLong(p -> p.convention().updates()).sum();
        List<PlannedStack> slotted = new ArrayList<>(planned.size());
        long updatesBefore = 0;
        for (PlannedStack p : planned) {
            Instant notBefore = start.plusSeconds(updatesBefore / rate);
            Instant lateSlot = start.plusSeconds((allUpdates + updatesBefore) / rate);
            slotted.add(new PlannedStack(p.index(), p.stackName(), p.stackId(), p.status(), p.parameterValue(),
                    p.convention(), p.parameterName(), p.target(), notBefore.toString(), lateSlot.toString()));
            updatesBefore += p.convention().updates();
        }
        return slotted;
    }

    /**
     * The slot the stack aims at when it loads at {@code now}: its own, or its late slot when it loads more than
     * {@link #LATE_AFTER} after its own; {@code now} without a slot.
     */
    public static Instant slot(PlannedStack stack, Instant now) {
        if (stack.notBefore() == null) {
            return now;
        }
        Instant slot = Instant.parse(stack.notBefore());
        return now.isAfter(slot.plus(LATE_AFTER)) && stack.lateSlot() != null ? Instant.parse(stack.lateSlot()) : slot;
    }

    /** Whole seconds from {@code now} until the stack's {@link #slot}, rounded up; 0 once it has come. */
    public static int waitSeconds(PlannedStack stack, Instant now) {
        long millis = Duration.between(now, slot(stack, now)).toMillis();
        return millis <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
    }
}
