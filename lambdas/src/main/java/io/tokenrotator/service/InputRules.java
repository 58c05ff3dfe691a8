package io.tokenrotator.service;

import io.tokenrotator.contract.FindStacksInput;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.contract.RunSettings;
import io.tokenrotator.contract.StackRef;
import io.tokenrotator.errors.InvalidInputException;

import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Validation and defaults for handler input. Each failure names the field and what is wrong with it. */
public final class InputRules {
    public static final String DEFAULT_PARAMETER = "RotateToken";
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9]{1,255}");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern SECRET_ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+");
    private static final Pattern VERSION_ID = Pattern.compile("[A-Za-z0-9-]{32,64}");
    private static final Pattern STACK_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");
    private static final Pattern STACK_ID =
            Pattern.compile("arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\\d{12}:stack/[A-Za-z][A-Za-z0-9-]*/.+");

    /** The selection modes of Find Stacks. */
    public enum Selection { ALL, REFERENCING }

    /** Find Stacks input after validation, defaults filled. */
    public record FindRequest(String runId, String parameterName, String secretId, String versionId, String prefix,
                              Selection selection, boolean dryRun, RunSettings settings) {}

    /**
     * The deployment's defaults for what the execution input leaves out, from the Find Stacks function's
     * environment: PARAMETER_NAME, STACK_NAME_PREFIX, SELECTION, MAX_CONCURRENCY, POLL_SECONDS,
     * MAX_WAIT_MINUTES, RESTORE_ATTEMPTS, RESTORE_DELAY_SECONDS.
     */
    public record Defaults(String parameterName, String stackNamePrefix, String selection, RunSettings settings) {
        public static final Defaults NONE = new Defaults(null, null, null, RunSettings.DEFAULTS);

        public Defaults(String parameterName, String stackNamePrefix, String selection) {
            this(parameterName, stackNamePrefix, selection, RunSettings.DEFAULTS);
        }

        public static Defaults fromEnvironment(Function<String, String> env) {
            RunSettings d = RunSettings.DEFAULTS;
            int pollSeconds = positive(env, "POLL_SECONDS", d.pollSeconds(), 1, 3600);
            int maxWaitMinutes = positive(env, "MAX_WAIT_MINUTES", d.maxWaitMinutesPerPhase(), 1, 24 * 60);
            RunSettings settings = new RunSettings(
                    positive(env, "MAX_CONCURRENCY", d.maxConcurrency(), 1, MAX_CONCURRENCY),
                    pollSeconds,
                    Math.max(1, (int) Math.ceil(maxWaitMinutes * 60.0 / pollSeconds)),
                    positive(env, "RESTORE_ATTEMPTS", d.restoreAttempts(), 0, 20),
                    positive(env, "RESTORE_DELAY_SECONDS", d.restoreDelaySeconds(), 1, 3600));
            try {
                HistoryBudget.check(settings);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("environment variables POLL_SECONDS, MAX_WAIT_MINUTES and"
                        + " RESTORE_ATTEMPTS: " + e.getMessage());
            }
            return new Defaults(env.apply("PARAMETER_NAME"), env.apply("STACK_NAME_PREFIX"), env.apply("SELECTION"),
                    settings);
        }

        private static int positive(Function<String, String> env, String name, int fallback, int min, int max) {
            String raw = env.apply(name);
            if (raw == null || raw.isBlank()) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(raw.trim());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalStateException("environment variable " + name + " must be a whole number from " + min
                    + " to " + max + ", got '" + raw + "'");
        }
    }

    /** Distributed Map runs at most 10,000 child executions at once. */
    public static final int MAX_CONCURRENCY = 10_000;

    private InputRules() {}

    public static FindRequest find(FindStacksInput input, Defaults defaults) {
        if (input == null) {
            input = new FindStacksInput(null, null);
        }
        String runId = input.runId() == null ? "run-" + UUID.randomUUID() : runId(input.runId());
        RotationRequest given = input.effectiveRequest();
        RotationRequest in = new RotationRequest(
                given.parameterName() != null ? given.parameterName() : defaults.parameterName(),
                given.secretId(), given.versionId(),
                given.stackNamePrefix() != null ? given.stackNamePrefix() : defaults.stackNamePrefix(),
                given.selection() != null ? given.selection() : defaults.selection(), given.dryRun(),
                given.maxConcurrency());
        String parameterName = parameterName(in.parameterName());
        String secretId = blankToNull(in.secretId());
        if (in.secretId() != null && secretId == null) {
            throw new InvalidInputException("secretId", "must not be empty (omit it to rotate without a secret)");
        }
        if (secretId != null && !SECRET_ARN.matcher(secretId).matches()
                && (secretId.startsWith("arn:") || !SECRET_NAME.matcher(secretId).matches())) {
            throw new InvalidInputException("secretId", "'" + secretId + "' is neither a secret name"
                    + " (1-512 of A-Z a-z 0-9 /_+=.@-) nor a Secrets Manager secret ARN");
        }
        String versionId = blankToNull(in.versionId());
        if (versionId != null && secretId == null) {
            throw new InvalidInputException("versionId", "needs secretId");
        }
        if (versionId != null && !VERSION_ID.matcher(versionId).matches()) {
            throw new InvalidInputException("versionId", "'" + versionId + "' is not a secret version id"
                    + " (32-64 of A-Z a-z 0-9 -)");
        }
        String prefix = blankToNull(in.stackNamePrefix());
        if (prefix != null && !STACK_PREFIX.matcher(prefix).matches()) {
            throw new InvalidInputException("stackNamePrefix", "'" + prefix + "' cannot begin a stack name"
                    + " (a letter, then letters, digits and hyphens, at most 128)");
        }
        Selection selection = selection(in.selection());
        if (selection == Selection.REFERENCING && secretId == null) {
            throw new InvalidInputException("selection", "'referencing' needs secretId: it keeps the stacks whose"
                    + " template references that secret");
        }
        RunSettings settings = defaults.settings();
        if (in.maxConcurrency() != null) {
            if (in.maxConcurrency() < 1 || in.maxConcurrency() > MAX_CONCURRENCY) {
                throw new InvalidInputException("maxConcurrency", "must be from 1 to " + MAX_CONCURRENCY + ", got "
                        + in.maxConcurrency());
            }
            settings = settings.withMaxConcurrency(in.maxConcurrency());
        }
        return new FindRequest(runId, parameterName, secretId, versionId, prefix, selection,
                Boolean.TRUE.equals(in.dryRun()), settings);
    }

    /** Validates the deployment's defaults once, at start-up; an error names the environment variable. */
    public static Defaults checkDefaults(Defaults defaults) {
        try {
            find(new FindStacksInput("config-check",
                    new RotationRequest(null, "config-check", null, null, null, null, null)), defaults);
        } catch (InvalidInputException e) {
            String variable = e.getMessage().contains("parameterName") ? "PARAMETER_NAME"
                    : e.getMessage().contains("stackNamePrefix") ? "STACK_NAME_PREFIX" : "SELECTION";
            throw new IllegalStateException("environment variable " + variable + " is invalid: " + e.getMessage());
        }
        return defaults;
    }

    public static String parameterName(String value) {
        if (value == null) {
            return DEFAULT_PARAMETER;
        }
        if (!PARAMETER_NAME.matcher(value).matches()) {
            throw new InvalidInputException("parameterName", value.isEmpty() ? "must not be empty"
                    : "'" + value + "' is not a CloudFormation parameter name (1-255 letters and digits)");
        }
        return value;
    }

    public static String runId(String value) {
        if (value == null || !RUN_ID.matcher(value).matches()) {
            throw new InvalidInputException("runId", value == null ? "is required"
                    : "'" + value + "' must be 1-80 of A-Z a-z 0-9 _ - (an execution name)");
        }
        return value;
    }

    public static StackRef stack(StackRef stack) {
        if (stack == null || stack.stackId() == null && stack.stackName() == null) {
            throw new InvalidInputException("stack", "is required: a stack name, a stack ARN, or"
                    + " {\"stackName\": ..., \"stackId\": ...}");
        }
        if (stack.stackId() != null) {
            if (!STACK_ID.matcher(stack.stackId()).matches()) {
                throw new InvalidInputException("stack.stackId", "'" + stack.stackId() + "' is not a CloudFormation"
                        + " stack ARN");
            }
            String name = stack.stackName() == null ? stack.stackId().split("/")[1] : stack.stackName();
            return new StackRef(name, stack.stackId());
        }
        if (!STACK_NAME.matcher(stack.stackName()).matches()) {
            throw new InvalidInputException("stack.stackName", "'" + stack.stackName() + "' is not a stack name"
                    + " (a letter, then letters, digits and hyphens, at most 128) or a stack ARN");
        }
        return stack;
    }

    public static String target(String value) {
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new InvalidInputException("target", value == null ? "is required: \"true\" or \"false\""
                    : "must be \"true\" or \"false\", got '" + value + "'");
        }
        return value;
    }

    public static int attempt(Integer value) {
        if (value != null && (value < 0 || value > 99)) {
            throw new InvalidInputException("attempt", "must be 0-99, got " + value);
        }
        return value == null ? 0 : value;
    }

    private static Selection selection(String value) {
        if (value == null || value.isBlank()) {
            return Selection.ALL;
        }
        try {
            return Selection.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("selection", "must be 'all' or 'referencing', got '" + value + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
