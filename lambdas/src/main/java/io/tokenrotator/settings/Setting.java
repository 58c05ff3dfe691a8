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
    MAX_CONCURRENCY("maxConcurrency", "maxConcurrency", Unit.STACKS, 40, 1, 10_000,
            "stacks rotated at the same time (Distributed Map runs at most 10,000 child executions at once)"),
    POLL_SECONDS("pollSeconds", "pollInterval", Unit.SECONDS, 20, 1, 3600,
            "wait between two status checks of a stack"),
    MAX_WAIT_MINUTES("maxWaitMinutes", "maxWaitPerPhase", Unit.MINUTES, 60, 1, 24 * 60,
            "status-checking time of each phase of a stack (phase 1, phase 2 and every restore attempt each get"
                    + " this much) before it is reported NEEDS_ATTENTION"),
    RESTORE_ATTEMPTS("restoreAttempts", "restoreAttempts", Unit.ATTEMPTS, 3, 0, 20,
            "extra RotateToken=true attempts after phase 2 failed or rolled back"),
    RESTORE_DELAY_SECONDS("restoreDelaySeconds", "restoreDelay", Unit.SECONDS, 60, 1, 3600,
            "wait before the first restore attempt, doubled before each next one, at most 15 minutes");

    /** What a value counts. */
    public enum Unit { STACKS, SECONDS, MINUTES, ATTEMPTS }

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
