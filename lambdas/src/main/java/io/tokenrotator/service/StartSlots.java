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
 */
public final class StartSlots {
    private StartSlots() {}

    /** The planned stacks, in order, each with its slot counted from {@code start} at {@code rate} calls a second. */
    public static List<PlannedStack> assign(List<PlannedStack> planned, Instant start, int rate) {
        List<PlannedStack> slotted = new ArrayList<>(planned.size());
        long updatesBefore = 0;
        for (PlannedStack p : planned) {
            Instant notBefore = start.plusSeconds(updatesBefore / rate);
            slotted.add(new PlannedStack(p.index(), p.stackName(), p.stackId(), p.status(), p.parameterValue(),
                    p.convention(), p.parameterName(), p.target(), notBefore.toString()));
            updatesBefore += p.convention().updates();
        }
        return slotted;
    }

    /** Whole seconds from {@code now} until the stack's slot, rounded up; 0 once it has come or without a slot. */
    public static int waitSeconds(PlannedStack stack, Instant now) {
        if (stack.notBefore() == null) {
            return 0;
        }
        long millis = Duration.between(now, Instant.parse(stack.notBefore())).toMillis();
        return millis <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
    }
}
