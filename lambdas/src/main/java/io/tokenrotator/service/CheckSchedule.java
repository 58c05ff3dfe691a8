package io.tokenrotator.service;

/**
 * When to check an updating stack again, from what is expected of its update rather than a fixed interval: a stack
 * is seen soon after it settles, and a long update costs few DescribeStacks calls.
 * <ul>
 *   <li>With an expectation (the update's expected duration, e.g. phase 1's measured duration for phase 2): wait
 *       until the expected end; once it has passed, back off by a quarter of the elapsed time, at most
 *       {@code pollSeconds} (an update that overruns its expectation is seen at most pollSeconds late).</li>
 *   <li>Without one: a geometric schedule, a quarter of the elapsed time, so a stack is seen at most a quarter of
 *       its update's duration late and an update of duration T costs about log(T / pollSeconds) / log(1.25)
 *       checks.</li>
 *   <li>Never less than {@link #FLOOR_SECONDS} (nor pollSeconds, when smaller), and never past the phase's time
 *       budget: the check it schedules lands at most {@code budgetSeconds} after the update started; once that is
 *       used up it answers 0 (the workflow then stops checking: Timed Out).</li>
 *   <li>Never so short that the phase's checks (maxPolls) run out before its time: with k checks left at elapsed
 *       time e, each wait is at least e((budget / e)^(1/k) - 1), the growth that brings the k checks to the
 *       budget's end. With the defaults (180 checks an hour) this never binds; with a few checks a phase it does.</li>
 * </ul>
 */
public final class CheckSchedule {
    /** The shortest wait between two checks of one stack. */
    public static final int FLOOR_SECONDS = 5;
    /** The back-off: a quarter of the elapsed time, the most a check may come late, relative to the update. */
    private static final int BACK_OFF_DIVISOR = 4;

    private CheckSchedule() {}

    /**
     * Seconds until the next check, or 0 when the phase's time budget is used up.
     *
     * @param elapsedSeconds  how long the update has run (now minus its start as CloudFormation reports it)
     * @param expectedSeconds the update's expected duration, or null when nothing is known
     * @param pollSeconds     the ceiling of the back-off once an expectation has passed
     * @param budgetSeconds   the phase's waiting time, counted from the update's start
     * @param checksLeft      status checks the phase may still make after this one (maxPolls minus those made)
     */
    public static int nextCheckSeconds(long elapsedSeconds, Integer expectedSeconds, int pollSeconds, long budgetSeconds,
                                       int checksLeft) {
        if (elapsedSeconds >= budgetSeconds) {
            return 0;
        }
        long wait;
        if (expectedSeconds != null && elapsedSeconds < expectedSeconds) {
            wait = expectedSeconds - elapsedSeconds;
        } else if (expectedSeconds != null) {
            wait = Math.min(pollSeconds, elapsedSeconds / BACK_OFF_DIVISOR);
        } else {
            wait = elapsedSeconds / BACK_OFF_DIVISOR;
        }
        wait = Math.max(Math.min(FLOOR_SECONDS, pollSeconds), wait);
        if (checksLeft > 0 && elapsedSeconds > 0) {
            double growth = Math.pow((double) budgetSeconds / elapsedSeconds, 1.0 / checksLeft);
            wait = Math.max(wait, (long) Math.ceil(elapsedSeconds * (growth - 1)));
        }
        return (int) Math.min(wait, budgetSeconds - elapsedSeconds);
    }
}
