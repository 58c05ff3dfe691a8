package io.tokenrotator.settings;

import io.tokenrotator.errors.Messages;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Every setting a deployment chooses for its runs, each written once: its key (CDK context key, JSON field and the
 * name in messages), the construct's prop name (TokenRotatorProps), the environment variable Find Stacks reads, the
 * unit, the default and the accepted range, and what it means (the README's tables say the same; a test ties them).
 * {@link DeploymentSettings} holds one value of each; the construct, the handlers, {@code simulate} and {@code bench}
 * all build theirs through it.
 */
public enum Setting {
    /*
     * A safety cap, no longer the throttle: the rate budget paces the stacks. A stack holds a Map slot for about
     * two update durations plus its status checks (some 200-600 s), so the budget keeps about
     * rate / 2 x that many stacks in flight (150-300 at 1-2 calls/s); 1,000 leaves room for slow stacks and for
     * stacks waiting for their start slot without limiting throughput, and stays far below Distributed Map's
     * 10,000 and the default Lambda concurrency of 1,000 (a child calls a function only briefly between waits).
     */
    MAX_CONCURRENCY("maxConcurrency", "maxConcurrency", Unit.STACKS, 1000, 1, 10_000,
            "most stacks in flight at the same time, a safety cap (updateStackRate paces the run; Distributed Map"
                    + " runs at most 10,000 child executions at once)"),
    /*
     * CloudFormation documents no request rate for UpdateStack (AWS-FACTS; API reference, "Rate exceeded"
     * knowledge-center article: back off, update stacks one at a time, ask for a quota increase); accounts see
     * throttling at a few calls per second, and the bench models a limit of 2/s. 1 call/s keeps half of that for
     * the account's own deployments (pipelines, CDK deploys) during a rotation, and still rotates 1,300 RotateToken
     * stacks in about 45 minutes (2 updates each), in-place stacks twice as fast.
     */
    UPDATE_STACK_RATE("updateStackRate", "updateStackRate", Unit.CALLS_PER_SECOND, 1, 1, 100,
            "UpdateStack calls per second the run may spend in the account and region: each planned stack gets a"
                    + " start slot, so that its updates (2 per RotateToken stack, 1 in place) keep to this rate"),
    POLL_SECONDS("pollSeconds", "pollInterval", Unit.SECONDS, 20, 1, 3600,
            "wait before the first status check of each phase (and after a status that could not be read), and the"
                    + " longest wait between two checks once an update runs past its expected duration; other checks"
                    + " are timed by the update's elapsed and expected time. In a large fleet a stack's phase 2 is"
                    + " planned at least 4 x pollSeconds after its phase 1"),
    MAX_WAIT_MINUTES("maxWaitMinutes", "maxWaitPerPhase", Unit.MINUTES, 60, 1, 24 * 60,
            "status-checking time of each phase of a stack (phase 1, phase 2 and every restore attempt each get"
                    + " this much) before it is reported NEEDS_ATTENTION"),
    RESTORE_ATTEMPTS("restoreAttempts", "restoreAttempts", Unit.ATTEMPTS, 3, 0, 20,
            "extra RotateToken=true attempts after phase 2 failed or rolled back"),
    RESTORE_DELAY_SECONDS("restoreDelaySeconds", "restoreDelay", Unit.SECONDS, 60, 1, 3600,
            "wait before the first restore attempt, doubled before each next one, at most 15 minutes");

    /** What a value counts. */
    public enum Unit { STACKS, SECONDS, MINUTES, ATTEMPTS, CALLS_PER_SECOND }

    private final String key;
    private final String prop;
    private final Unit unit;
    private final int defaultValue;
    private final int min;
    private final int max;
    private final String meaning;

    Setting(String key, String prop, Unit unit, int defaultValue, int min, int max, String meaning) {
        this.key = key;
        this.prop = prop;
        this.unit = unit;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.meaning = meaning;
    }

    /** The CDK context key and JSON field, e.g. {@code pollSeconds}. */
    public String key() { return key; }

    /** The construct's prop, e.g. {@code pollInterval} (a Duration for the time settings). */
    public String prop() { return prop; }

    /** The environment variable of the Find Stacks function, e.g. {@code POLL_SECONDS}. */
    public String variable() { return name(); }

    /** The command-line option of {@code simulate} and {@code bench}, e.g. {@code --poll-seconds}. */
    public String option() {
        return "--" + key.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    public Unit unit() { return unit; }
    public int defaultValue() { return defaultValue; }
    public int min() { return min; }
    public int max() { return max; }
    public String meaning() { return meaning; }

    /** What the setting accepts, in words: {@code an integer from 1 to 3600}; the key or label names the unit. */
    public String accepted() {
        return "an integer from " + min + " to " + max;
    }

    /** The value when it is in range; otherwise one line naming {@code label}, what is accepted and what came. */
    public int check(String label, long value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(label + ": expected " + accepted() + ", got " + value);
        }
        return (int) value;
    }

    /** A value written as text (an environment variable, a -c context value, a command-line option). */
    public int parse(String label, String text) {
        long value;
        try {
            value = new BigDecimal(text.trim()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            value = Long.MIN_VALUE;
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(label + ": expected " + accepted() + ", got " + Messages.quote(text));
        }
        return (int) value;
    }
}
