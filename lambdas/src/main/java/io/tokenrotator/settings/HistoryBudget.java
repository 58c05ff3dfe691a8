package io.tokenrotator.settings;

import io.tokenrotator.contract.RunSettings;

import java.util.function.Function;

/**
 * The most history events one stack's child execution can record, from the run settings and the retry budgets of
 * statemachine/token-rotator.asl.json. Step Functions fails an execution whose history reaches 25,000 events
 * (AWS-FACTS, Step Functions quotas), so settings that could get there are refused before a run starts.
 * StateMachineDefinitionTest ties the attempt counts below to the ASL's Retry blocks.
 */
public final class HistoryBudget {
    /** Step Functions' hard limit on one execution's history. */
    public static final int LIMIT = 25_000;
    /** Attempts of a Task with the standard retriers (throttling 12, Lambda errors 6, lost invocations 3). */
    public static final int STANDARD_TASK_ATTEMPTS = 1 + 12 + 6 + 3;
    /** A call inside a phase's loop (the phaseLoop retriers): small retriers, the loop itself tries again. */
    public static final int CHECK_TASK_ATTEMPTS = 1 + 2 + 2 + 1;
    /**
     * Set Token False / True: the updateLoop retriers (phaseLoop's, except that a throttled update is not retried by
     * them: the count stays the same, the unavailable-service retrier still has 2); a throttled, busy or leased update
     * is tried again by the phase's loop (Count Phase N Update Retry), each try one of the phase's maxPolls.
     */
    public static final int UPDATE_TASK_ATTEMPTS = CHECK_TASK_ATTEMPTS;
    /** Record Result: the standard retriers plus 3 for any error. */
    public static final int RECORD_TASK_ATTEMPTS = STANDARD_TASK_ATTEMPTS + 3;
    /** Entered and exited. */
    private static final int STATE = 2;

    private HistoryBudget() {}

    /** A Task state: entered, exited, and scheduled/started/ended for each attempt of its Lambda function. */
    static int task(int attempts) {
        return STATE + 3 * attempts;
    }

    /** The worst case: every Task uses all of its retries and every phase all of its status checks. */
    public static long worstCaseEvents(int maxPolls, int restoreAttempts) {
        long pollIteration = STATE + task(CHECK_TASK_ATTEMPTS) + STATE + STATE; // wait, check, count, decide
        long updateRetry = STATE + STATE + STATE + task(UPDATE_TASK_ATTEMPTS); // count, budget left?, wait, update
        long iteration = Math.max(pollIteration, updateRetry); // each is one of the phase's maxPolls
        long phase1 = task(UPDATE_TASK_ATTEMPTS) + STATE + maxPolls * iteration
                + STATE; // Expect Phase 2 Like Phase 1
        long phase2Attempt = task(UPDATE_TASK_ATTEMPTS) + STATE + maxPolls * iteration
                + task(CHECK_TASK_ATTEMPTS) + STATE // Check After Phase 2 Error, Restore Needed?
                + 4 * STATE; // Restore Again?, Count Restore Attempt, Wait Before Restore, Start Phase 2
        long start = task(STANDARD_TASK_ATTEMPTS) /* load */ + STATE /* start slot */ + STATE /* convention */;
        long slotMissed = start + task(UPDATE_TASK_ATTEMPTS); // a first update too late for its point: loaded again
        return 2 /* execution started, ended */ + start + slotMissed
                + phase1 + STATE
                + (1L + restoreAttempts) * phase2Attempt + STATE /* ending */ + task(RECORD_TASK_ATTEMPTS);
    }

    /** Refuses settings whose worst case reaches the limit, naming the settings that decide it by their keys. */
    public static void check(RunSettings s) {
        check(s, Setting::key);
    }

    /** Refuses settings whose worst case reaches the limit, naming the settings that decide it by {@code label}. */
    public static void check(RunSettings s, Function<Setting, String> label) {
        long events = worstCaseEvents(s.maxPolls(), s.restoreAttempts());
        if (events >= LIMIT) {
            String poll = label.apply(Setting.POLL_SECONDS);
            String wait = label.apply(Setting.MAX_WAIT_MINUTES);
            String restores = label.apply(Setting.RESTORE_ATTEMPTS);
            throw new IllegalArgumentException(poll + ", " + wait + " and " + restores + ": " + poll + " "
                    + s.pollSeconds() + " s with " + wait + " " + s.maxWaitMinutesPerPhase() + " min allow "
                    + s.maxPolls() + " status checks per phase; with " + s.restoreAttempts() + " restore attempt(s)"
                    + " one stack's execution could record " + events + " history events, and Step Functions fails"
                    + " an execution at " + LIMIT + ": raise " + poll + ", or lower " + wait + " or " + restores);
        }
    }
}
