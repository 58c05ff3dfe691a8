package io.tokenrotator.settings;

import io.tokenrotator.contract.RunSettings;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One value of each {@link Setting}, as a deployment chose them: built only through {@link #of}, which checks each
 * value against its range and the combination against Step Functions' history limit ({@link HistoryBudget}), with
 * errors that name each setting the way its source does (a prop, a context key, an environment variable, an
 * option). {@link #runSettings()} is what the workflow carries; {@link #environment()} is how the construct hands
 * the values to Find Stacks and {@link #fromEnvironment} how Find Stacks reads them back.
 */
public final class DeploymentSettings {
    public static final DeploymentSettings DEFAULTS = of(s -> null, Setting::key);

    private final Map<Setting, Integer> values;

    private DeploymentSettings(Map<Setting, Integer> values) {
        this.values = values;
    }

    /**
     * The settings {@code value} gives (null: the setting's default), each checked; an error names the setting by
     * {@code label}. Settings that could let one stack's execution reach 25,000 history events are refused.
     */
    public static DeploymentSettings of(Function<Setting, Integer> value, Function<Setting, String> label) {
        Map<Setting, Integer> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            Integer v = value.apply(s);
            values.put(s, v == null ? s.defaultValue() : s.check(label.apply(s), v));
        }
        DeploymentSettings settings = new DeploymentSettings(values);
        HistoryBudget.check(settings.runSettings(), label);
        return settings;
    }

    /** The given values (the rest default), named by their keys in errors; tests and the simulations use it. */
    public static DeploymentSettings of(Map<Setting, Integer> values) {
        return of(values::get, Setting::key);
    }

    /** Settings written as text (null or blank: the default), e.g. environment variables or -c context values. */
    public static DeploymentSettings parse(Function<Setting, String> text, Function<Setting, String> label) {
        return of(s -> {
            String raw = text.apply(s);
            return raw == null || raw.isBlank() ? null : s.parse(label.apply(s), raw);
        }, label);
    }

    /** Find Stacks' environment: each setting's {@link Setting#variable()}; unset or empty means the default. */
    public static DeploymentSettings fromEnvironment(Function<String, String> env) {
        Function<Setting, String> label = s -> "environment variable " + s.variable();
        return parse(s -> env.apply(s.variable()), label);
    }

    /** The environment variables that make {@link #fromEnvironment} give these settings back. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        values.forEach((s, v) -> env.put(s.variable(), String.valueOf(v)));
        return env;
    }

    /** Every setting's value. */
    public Map<Setting, Integer> values() {
        return new EnumMap<>(values);
    }

    public int get(Setting s) {
        return values.get(s);
    }

    /** The same settings with one value changed, checked like the rest. */
    public DeploymentSettings with(Setting changed, int value, String label) {
        return of(s -> s == changed ? value : values.get(s), s -> s == changed ? label : s.key());
    }

    /** What the workflow carries: the status-check time per phase as a number of checks, the restore delays. */
    public RunSettings runSettings() {
        int pollSeconds = get(Setting.POLL_SECONDS);
        return new RunSettings(get(Setting.MAX_CONCURRENCY), pollSeconds,
                Math.max(1, (int) Math.ceil(get(Setting.MAX_WAIT_MINUTES) * 60.0 / pollSeconds)),
                get(Setting.RESTORE_ATTEMPTS), get(Setting.RESTORE_DELAY_SECONDS), get(Setting.UPDATE_STACK_RATE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploymentSettings d && d.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
