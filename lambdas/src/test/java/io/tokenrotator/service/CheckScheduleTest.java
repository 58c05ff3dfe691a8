package io.tokenrotator.service;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckScheduleTest {
    private static final int POLL = 20;
    private static final long BUDGET = 3600;
    /** The default settings' checks an hour: plenty, so only the time-based rules decide. */
    private static final int MANY = 179;

    /** The elapsed times at which a stack is checked, from the first check until one at or after {@code end}. */
    private static List<Long> checks(long first, Integer expected, long end) {
        return checks(first, expected, end, BUDGET);
    }

    private static List<Long> checks(long first, Integer expected, long end, long budget) {
        List<Long> at = new ArrayList<>();
        long t = first;
        at.add(t);
        while (t < end) {
            int next = CheckSchedule.nextCheckSeconds(t, expected, POLL, budget, MANY);
            assertThat(next).as("a wait at %s s", t).isPositive();
            t += next;
            at.add(t);
        }
        return at;
    }

    @Test
    void withAnExpectationItWaitsUntilTheExpectedEnd() {
        assertThat(CheckSchedule.nextCheckSeconds(20, 600, POLL, BUDGET, MANY)).isEqualTo(580);
        assertThat(CheckSchedule.nextCheckSeconds(18, 20, POLL, BUDGET, MANY)).as("at least the floor")
                .isEqualTo(CheckSchedule.FLOOR_SECONDS);
    }

    @Test
    void pastTheExpectationItBacksOffByAQuarterOfTheElapsedTimeAtMostPollSeconds() {
        assertThat(CheckSchedule.nextCheckSeconds(40, 30, POLL, BUDGET, MANY)).isEqualTo(10);
        assertThat(CheckSchedule.nextCheckSeconds(600, 500, POLL, BUDGET, MANY)).isEqualTo(POLL);
        assertThat(CheckSchedule.nextCheckSeconds(12, 10, POLL, BUDGET, MANY)).isEqualTo(CheckSchedule.FLOOR_SECONDS);
    }

    @Test
    void withoutAnExpectationTheChecksAreGeometricSoALongUpdateCostsLogarithmicallyFewChecks() {
        assertThat(CheckSchedule.nextCheckSeconds(20, null, POLL, BUDGET, MANY)).isEqualTo(5);
        assertThat(CheckSchedule.nextCheckSeconds(400, null, POLL, BUDGET, MANY)).isEqualTo(100);
        List<Long> tenMinutes = checks(20, null, 660); // 600 s of update and 60 s of cleanup
        assertThat(tenMinutes).as("fixed 20 s polling needs 33 checks").hasSizeLessThanOrEqualTo(18);
        long late = tenMinutes.get(tenMinutes.size() - 1) - 660;
        assertThat(late).as("seen at most a quarter of the elapsed time late").isLessThanOrEqualTo(660 / 4);
        assertThat(checks(20, null, 6600, 24 * 3600)).as("ten times longer: a handful more, not ten times as many")
                .hasSizeLessThanOrEqualTo(tenMinutes.size() + 11);
    }

    @Test
    void anUpdateLikeTheExpectedOneIsSeenWithOneCheckAndAShortOneWithinSecondsOfItsEnd() {
        assertThat(checks(20, 660, 660)).containsExactly(20L, 660L);
        List<Long> shortOne = checks(20, 22, 23);
        assertThat(shortOne.get(shortOne.size() - 1)).isLessThanOrEqualTo(23 + CheckSchedule.FLOOR_SECONDS);
    }

    @Test
    void noCheckIsScheduledPastThePhasesBudgetAndNoneOnceItIsUsedUp() {
        assertThat(CheckSchedule.nextCheckSeconds(3500, null, POLL, BUDGET, MANY)).isEqualTo(100);
        assertThat(CheckSchedule.nextCheckSeconds(3000, 5000, POLL, BUDGET, MANY)).isEqualTo(600);
        assertThat(CheckSchedule.nextCheckSeconds(3598, null, POLL, BUDGET, MANY)).isEqualTo(2);
        assertThat(CheckSchedule.nextCheckSeconds(3600, null, POLL, BUDGET, MANY)).isZero();
        assertThat(CheckSchedule.nextCheckSeconds(9000, 20, POLL, BUDGET, MANY)).isZero();
    }

    @Test
    void thePhasesChecksLastItsWholeTimeWhenThereAreFewOfThem() {
        // 5 checks in 120 s (pollSeconds 24): the quarter back-off would spend them by 57 s; each wait grows instead
        // so that the checks left reach the budget's end
        long t = 24;
        List<Long> at = new ArrayList<>(List.of(t));
        for (int left = 4; left > 0; left--) {
            t += CheckSchedule.nextCheckSeconds(t, null, 24, 120, left);
            at.add(t);
        }
        assertThat(at).hasSize(5).last().isEqualTo(120L);
        assertThat(at.get(3)).as("the fourth check").isGreaterThan(66);
        assertThat(CheckSchedule.nextCheckSeconds(24, null, 24, 120, 4)).isEqualTo(12);
        assertThat(CheckSchedule.nextCheckSeconds(40, 30, 24, 120, 1)).as("past an expectation too").isEqualTo(80);
    }

    @Test
    void aPollIntervalBelowTheFloorIsItsOwnFloor() {
        assertThat(CheckSchedule.nextCheckSeconds(2, null, 1, BUDGET, MANY)).isEqualTo(1);
        assertThat(CheckSchedule.nextCheckSeconds(4, 3, 1, BUDGET, MANY)).isEqualTo(1);
    }
}
