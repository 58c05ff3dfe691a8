package io.tokenrotator.service;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.PlannedStack;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class StartSlotsTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static List<PlannedStack> stacks(Convention... conventions) {
        return IntStream.range(0, conventions.length).mapToObj(i -> new PlannedStack(i, "app-" + i,
                "arn:aws:cloudformation:us-east-1:123456789012:stack/app-" + i + "/x", "UPDATE_COMPLETE", "true",
                conventions[i], "RotateToken", "true")).toList();
    }

    private static List<Long> offsets(List<PlannedStack> slotted) {
        return slotted.stream().map(p -> Instant.parse(p.notBefore()).getEpochSecond() - START.getEpochSecond())
                .toList();
    }

    @Test
    void eachSlotReservesTheUpdatesOfItsStackAtTheRate() {
        // 2 calls/s: a RotateToken stack takes 2 updates (one stack a second), an in-place stack 1 (two a second)
        assertThat(offsets(StartSlots.assign(stacks(Convention.ROTATE_TOKEN, Convention.ROTATE_TOKEN,
                Convention.ROTATE_TOKEN), START, 2))).containsExactly(0L, 1L, 2L);
        assertThat(offsets(StartSlots.assign(stacks(Convention.IN_PLACE, Convention.IN_PLACE, Convention.IN_PLACE,
                Convention.IN_PLACE, Convention.IN_PLACE), START, 2))).containsExactly(0L, 0L, 1L, 1L, 2L);
        assertThat(offsets(StartSlots.assign(stacks(Convention.ROTATE_TOKEN, Convention.IN_PLACE,
                Convention.ROTATE_TOKEN, Convention.IN_PLACE), START, 1))).containsExactly(0L, 2L, 3L, 5L);
    }

    @Test
    void aStackWaitsUntilItsSlotRoundedUp() {
        PlannedStack slotted = StartSlots.assign(stacks(Convention.ROTATE_TOKEN, Convention.ROTATE_TOKEN,
                Convention.ROTATE_TOKEN), START, 1).get(2); // 4 s after the start
        assertThat(StartSlots.waitSeconds(slotted, START)).isEqualTo(4);
        assertThat(StartSlots.waitSeconds(slotted, START.plusMillis(1500))).isEqualTo(3);
        assertThat(StartSlots.waitSeconds(slotted, START.plusSeconds(4))).isZero();
        assertThat(StartSlots.waitSeconds(slotted, START.plusSeconds(5))).as("a second late: still its slot").isZero();
        assertThat(StartSlots.waitSeconds(stacks(Convention.IN_PLACE).get(0), START)).as("no slot").isZero();
    }

    @Test
    void aStackLoadedAfterItsSlotTakesItsPlaceInASecondRoundBehindEveryOtherStack() {
        // 3 RotateToken stacks at 1 call/s: 6 updates, slots at 0, 2, 4 s; the second round at 6, 8, 10 s
        List<PlannedStack> slotted = StartSlots.assign(stacks(Convention.ROTATE_TOKEN, Convention.ROTATE_TOKEN,
                Convention.ROTATE_TOKEN), START, 1);
        assertThat(slotted).extracting(p -> Instant.parse(p.lateSlot()).getEpochSecond() - START.getEpochSecond())
                .containsExactly(6L, 8L, 10L);
        // stacks 0 and 1 loaded together 3.5 s in: both are late, and keep their order and spacing
        assertThat(StartSlots.slot(slotted.get(0), START.plusMillis(3500))).isEqualTo(START.plusSeconds(6));
        assertThat(StartSlots.waitSeconds(slotted.get(0), START.plusMillis(3500))).isEqualTo(3);
        assertThat(StartSlots.waitSeconds(slotted.get(1), START.plusMillis(3500))).isEqualTo(5);
        assertThat(StartSlots.slot(slotted.get(2), START.plusMillis(5500))).isEqualTo(START.plusSeconds(10));
        assertThat(StartSlots.slot(slotted.get(2), START.plusSeconds(5))).as("a second late").isEqualTo(
                START.plusSeconds(4));
        assertThat(StartSlots.waitSeconds(slotted.get(2), START.plusSeconds(60))).as("both rounds passed").isZero();
    }
}
