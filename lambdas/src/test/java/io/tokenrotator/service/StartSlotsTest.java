package io.tokenrotator.service;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.PlannedStack;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class StartSlotsTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static List<PlannedStack> stacks(Convention... conventions) {
        return IntStream.range(0, conventions.length).mapToObj(i -> new PlannedStack(i, "app-" + i,
                "arn:aws:cloudformation:us-east-1:123456789012:stack/app-" + i + "/x", "UPDATE_COMPLETE", "true",
                conventions[i], "RotateToken", "true")).toList();
    }

    private static PlannedStack inPlaceOf(PlannedStack p) {
        return new PlannedStack(p.index(), p.stackName(), p.stackId(), p.status(), p.parameterValue(),
                Convention.IN_PLACE, p.parameterName(), p.target(), p.notBefore(), p.lateSlot(), null, null);
    }

    private static long millis(String instant) {
        return Duration.between(START, Instant.parse(instant)).toMillis();
    }

    /** Which point of the run's grid an instant is, at {@code rate}: points are 1 / (0.9 x rate) seconds apart. */
    private static Long point(String instant, int rate) {
        return instant == null ? null : Math.round(millis(instant) * 0.9 * rate / 1000);
    }

    private static List<Long> slots(List<PlannedStack> slotted, int rate) {
        return slotted.stream().map(p -> point(p.notBefore(), rate)).toList();
    }

    @Test
    void everyCallGetsItsOwnPointAtNineTenthsOfTheRateAndPhase2AtLeastFourPollsAfterPhase1() {
        // 2 calls/s: 1.8 planned calls a second, points 555 ms apart. pollSeconds 1: phase 2 at least 4 s (8 points,
        // 7.2 rounded up) after phase 1, the first free point from there
        List<PlannedStack> rotate = StartSlots.assign(stacks(Collections.nCopies(10, Convention.ROTATE_TOKEN)
                .toArray(Convention[]::new)), START, 2, 1);
        assertThat(rotate).extracting(p -> millis(p.notBefore())).startsWith(0L, 555L, 1111L);
        assertThat(slots(rotate, 2)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 16L, 17L);
        assertThat(rotate).extracting(p -> point(p.phase2Slot(), 2)).containsExactly(8L, 9L, 10L, 11L, 12L, 13L, 14L,
                15L, 24L, 25L);
        // a fleet whose first updates all come before the first phase-2 point (3 stacks, a gap of 144 points at
        // pollSeconds 20) reserves no phase-2 points: its phase 2s go when their stacks are ready
        List<PlannedStack> small = StartSlots.assign(stacks(Convention.ROTATE_TOKEN, Convention.ROTATE_TOKEN,
                Convention.ROTATE_TOKEN), START, 2, 20);
        assertThat(slots(small, 2)).containsExactly(0L, 1L, 2L);
        assertThat(small).extracting(PlannedStack::phase2Slot).containsOnlyNulls();
        StartSlots.Points unreserved = StartSlots.points(small.get(0), START);
        assertThat(unreserved.lateTarget()).as("phase 2 never goes to the late round, reserved or not")
                .isEqualTo(unreserved.target()).isEqualTo(START);
        assertThat(StartSlots.points(inPlaceOf(small.get(0)), START).lateTarget()).as("an in-place update may")
                .isEqualTo(Instant.parse(small.get(0).lateSlot()));
        List<PlannedStack> inPlace = StartSlots.assign(stacks(Convention.IN_PLACE, Convention.IN_PLACE,
                Convention.IN_PLACE), START, 2, 20);
        assertThat(slots(inPlace, 2)).containsExactly(0L, 1L, 2L);
        assertThat(inPlace).extracting(PlannedStack::phase2Slot).containsOnlyNulls();
        // at 1 call/s and pollSeconds 1 the gap is 4 s, 4 points (3.6 rounded up): the first phase 2 takes point 4,
        // so the next stack takes 5
        List<PlannedStack> mixed = StartSlots.assign(stacks(Convention.ROTATE_TOKEN, Convention.IN_PLACE,
                Convention.ROTATE_TOKEN, Convention.IN_PLACE, Convention.ROTATE_TOKEN, Convention.IN_PLACE), START, 1, 1);
        assertThat(slots(mixed, 1)).containsExactly(0L, 1L, 2L, 3L, 5L, 7L);
        assertThat(mixed).extracting(p -> point(p.phase2Slot(), 1)).containsExactly(4L, null, 6L, null, 9L, null);
    }

    @Test
    void noTwoCallsOfARunShareAPointInEitherRoundWhateverTheMix() {
        Random random = new Random(7);
        for (int fleet = 0; fleet < 50; fleet++) {
            int rate = 1 + random.nextInt(5);
            int poll = 1 + random.nextInt(30);
            Convention[] conventions = new Convention[1 + random.nextInt(300)];
            for (int i = 0; i < conventions.length; i++) {
                conventions[i] = random.nextBoolean() ? Convention.ROTATE_TOKEN : Convention.IN_PLACE;
            }
            List<PlannedStack> slotted = StartSlots.assign(stacks(conventions), START, rate, poll);
            Set<Long> points = new HashSet<>();
            List<Long> all = new ArrayList<>();
            for (PlannedStack p : slotted) {
                all.add(millis(p.notBefore()));
                all.add(millis(p.lateSlot()));
                assertThat(millis(p.lateSlot())).as("the late slot comes after every own slot")
                        .isGreaterThan(slotted.stream().mapToLong(q -> millis(q.notBefore())).max().orElseThrow());
                long gapPoints = (long) Math.ceil(4.0 * poll * rate * 0.9);
                if (p.convention() == Convention.ROTATE_TOKEN && conventions.length > gapPoints) {
                    assertThat(millis(p.phase2Slot()) - millis(p.notBefore())).isGreaterThanOrEqualTo(poll * 4000L);
                    assertThat(millis(p.latePhase2Slot()) - millis(p.lateSlot())).isGreaterThanOrEqualTo(poll * 4000L);
                    all.add(millis(p.phase2Slot()));
                    all.add(millis(p.latePhase2Slot()));
                } else {
                    assertThat(p.phase2Slot()).isNull();
                    assertThat(p.latePhase2Slot()).isNull();
                }
            }
            all.forEach(point -> assertThat(points.add(point)).as("point %d ms taken twice", point).isTrue());
            long calls = slotted.stream().mapToLong(p -> p.convention().updates()).sum();
            long lastOwn = slotted.stream().mapToLong(p -> Math.max(millis(p.notBefore()),
                    p.phase2Slot() == null ? 0 : millis(p.phase2Slot()))).max().orElseThrow();
            assertThat(lastOwn).as("the first round is no longer than its calls and one gap")
                    .isLessThan((calls + 4L * poll * rate) * 10_000 / (9L * rate));
        }
    }

    @Test
    void theWorkflowWaitsUntilFiveSecondsBeforeTheSlotToTheSecondBelow() {
        PlannedStack slotted = StartSlots.assign(stacks(Collections.nCopies(10, Convention.ROTATE_TOKEN)
                .toArray(Convention[]::new)), START, 1, 20).get(9); // point 9: 10 s after the start
        assertThat(StartSlots.waitUntil(StartSlots.points(slotted, START).slot())).isEqualTo(START.plusSeconds(5));
        assertThat(StartSlots.waitUntil(START.plusMillis(7777))).as("to the second below").isEqualTo(START.plusSeconds(2));
        assertThat(StartSlots.points(slotted, START.plusMillis(15_000)).slot()).as("5 s late: still its slot")
                .isEqualTo(START.plusMillis(10_000));
        assertThat(StartSlots.points(slotted, START.plusMillis(15_001)).slot()).as("later: its late slot")
                .isEqualTo(Instant.parse(slotted.lateSlot()));
        PlannedStack unpaced = stacks(Convention.IN_PLACE).get(0);
        assertThat(StartSlots.points(unpaced, START)).isEqualTo(new StartSlots.Points(START, START, START, START));
    }

    @Test
    void aStackLoadedWellAfterItsSlotTakesItsPointsInASecondRoundBehindEveryOtherStack() {
        // 10 RotateToken stacks at 1 call/s, pollSeconds 2 (a gap of 8 points): slots at points 0-7, 16, 17, phase 2
        // at 8-15, 24, 25. The second round goes on from point 18: late slots at 18-23 (late phase 2 at 26-31), then,
        // past those, 32-35 (40-43)
        List<PlannedStack> slotted = StartSlots.assign(stacks(Collections.nCopies(10, Convention.ROTATE_TOKEN)
                .toArray(Convention[]::new)), START, 1, 2);
        assertThat(slotted).extracting(p -> point(p.lateSlot(), 1)).containsExactly(18L, 19L, 20L, 21L, 22L, 23L,
                32L, 33L, 34L, 35L);
        assertThat(slotted).extracting(p -> point(p.latePhase2Slot(), 1)).containsExactly(26L, 27L, 28L, 29L, 30L,
                31L, 40L, 41L, 42L, 43L);
        // stacks 0 and 1 loaded together 6.5 s in: both more than 5 s late, they keep their order and spacing
        Instant loaded = START.plusMillis(6500);
        StartSlots.Points late = StartSlots.points(slotted.get(0), loaded);
        assertThat(late).as("aiming at its late points: nothing later to go to").isEqualTo(new StartSlots.Points(
                START.plusMillis(20_000), START.plusMillis(28_888), START.plusMillis(20_000), START.plusMillis(28_888)));
        assertThat(StartSlots.points(slotted.get(1), loaded).slot()).isEqualTo(START.plusMillis(21_111));
        assertThat(StartSlots.points(slotted.get(1), START.plusMillis(6100)).slot()).as("under 5 s late: its own").isEqualTo(
                START.plusMillis(1111));
        assertThat(StartSlots.points(slotted.get(2), loaded)).as("on time: its own points, and its late slot if its"
                + " first update comes too late; phase 2 never goes to the late round").isEqualTo(new StartSlots.Points(
                START.plusMillis(2222), START.plusMillis(11_111), START.plusMillis(22_222), START.plusMillis(11_111)));
    }

    @Test
    void aFirstUpdateMoreThanFiveSecondsLateForItsPointMissesItOnlyWhileALaterPointIsLeft() {
        Instant point = START.plusSeconds(10);
        Instant latePoint = START.plusSeconds(100);
        assertThat(StartSlots.missed(point, latePoint, point.plusMillis(5000))).isFalse();
        assertThat(StartSlots.missed(point, latePoint, point.plusMillis(5001))).isTrue();
        assertThat(StartSlots.missed(point, point, point.plusSeconds(60))).as("already its late point").isFalse();
        assertThat(StartSlots.missed(point, null, point.plusSeconds(60))).as("no late point given").isFalse();
        assertThat(StartSlots.missed(null, latePoint, point)).as("no point").isFalse();
    }

    @Test
    void theFirstSlotLeavesTheChildrenTimeToStartAtLambdasScalingRate() {
        assertThat(StartSlots.startAllowance(1)).isEqualTo(Duration.ofMillis(5010));
        assertThat(StartSlots.startAllowance(1000)).isEqualTo(Duration.ofSeconds(15));
        assertThat(StartSlots.startAllowance(5000)).isEqualTo(Duration.ofSeconds(55));
    }

    @Test
    void updateStackWaitsForAPointAheadOfItButNeverForOnePassedOrTooFar() {
        List<Instant> slept = new ArrayList<>();
        StartSlots.Sleeper sleeper = slept::add;
        StartSlots.awaitSend(START.plusMillis(1700), START, sleeper);
        StartSlots.awaitSend(START.minusMillis(1), START, sleeper);
        StartSlots.awaitSend(null, START, sleeper);
        StartSlots.awaitSend(START.plusSeconds(61), START, sleeper);
        assertThat(slept).containsExactly(START.plusMillis(1700));
    }

    @Test
    void theSleeperReturnsOnceItsClockHasReachedTheTarget() {
        Instant target = Instant.now().plusMillis(30);
        StartSlots.sleeperOn(java.time.Clock.systemUTC()).sleepUntil(target);
        assertThat(Instant.now()).isAfterOrEqualTo(target);
    }
}
