package io.tokenrotator.service;

import io.tokenrotator.contract.FindStacksInput;
import io.tokenrotator.contract.LoadPlannedStackInput;
import io.tokenrotator.contract.RecordResultInput;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.contract.RunSettings;
import io.tokenrotator.contract.StackRef;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.errors.Messages;
import io.tokenrotator.errors.StackNotUpdatableException;
import io.tokenrotator.port.StackDescription;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.settings.Setting;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validation and defaults for handler input. Every failure is an {@link InvalidInputException} whose message reads
 * {@code <JSON path>: expected <what the field accepts>, got <the value, quoted, at most 100 characters>}: short
 * enough for a Step Functions error cause (at most 32,768 characters), whatever was sent ({@link Messages}). What
 * each field accepts is written once, here ({@link #accepted(String)}); the JSON layer uses the same words for type
 * errors.
 */
public final class InputRules {
    public static final String DEFAULT_PARAMETER = "RotateToken";
    /** The in-place convention's parameter (Convention.IN_PLACE) when the deployment names no other. */
    public static final String DEFAULT_VERSION_PARAMETER = "TokenVersion";

    /** An integer field and its inclusive range. */
    public record IntRange(String field, int min, int max) {
        /** A run setting as a field of the workflow's settings. */
        static IntRange of(Setting s) {
            return new IntRange(s.key(), s.min(), s.max());
        }

        public String accepted() {
            return max == Integer.MAX_VALUE ? "an integer of at least " + min
                    : "an integer from " + min + " to " + max;
        }

        /** The value, or the default when it is absent; out of range is an error naming {@code path}. */
        public int check(String path, Integer value, int absent) {
            if (value == null) {
                return absent;
            }
            if (value < min || value > max) {
                throw invalid(path, accepted(), String.valueOf(value));
            }
            return value;
        }

        /** A value that must be present. */
        public int require(String path, Integer value) {
            if (value == null) {
                throw missing(path, accepted());
            }
            return check(path, value, 0);
        }
    }

    public static final IntRange CONCURRENCY = IntRange.of(Setting.MAX_CONCURRENCY);
    public static final IntRange POLL_SECONDS = IntRange.of(Setting.POLL_SECONDS);
    public static final IntRange UPDATE_STACK_RATE = IntRange.of(Setting.UPDATE_STACK_RATE);
    /** Status checks a phase: at least one, at most what the longest wait at the shortest interval gives. */
    public static final IntRange MAX_POLLS = new IntRange("maxPolls", 1,
            Setting.MAX_WAIT_MINUTES.max() * 60 / Setting.POLL_SECONDS.min());
    public static final IntRange RESTORE_ATTEMPTS = IntRange.of(Setting.RESTORE_ATTEMPTS);
    public static final IntRange RESTORE_DELAY_SECONDS = IntRange.of(Setting.RESTORE_DELAY_SECONDS);
    /** Update Stack's attempt: 0 for the phase itself, then one per restore attempt. */
    public static final IntRange ATTEMPT = new IntRange("attempt", 0, 99);
    public static final IntRange INDEX = new IntRange("index", 0, Integer.MAX_VALUE);
    /** Counters the workflow keeps (polls.count, restore.delaySeconds): never negative. */
    private static final IntRange COUNT = new IntRange("count", 0, Integer.MAX_VALUE);
    private static final IntRange DELAY_SECONDS = new IntRange("delaySeconds", 0, Integer.MAX_VALUE);
    /** Stack Status' expectation of an update's duration (a measured one: never refused for being long). */
    private static final IntRange EXPECTED_SECONDS = new IntRange("expectedSeconds", 0, Integer.MAX_VALUE);

    /**
     * CloudFormation parameter names are logical ids: alphanumeric (A-Za-z0-9), at most 255 characters (CloudFormation
     * user guide, "Parameters" and "CloudFormation quotas").
     */
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9]{1,255}");
    /** CreateSecret Name: 1-512 of ASCII letters, digits and /_+=.@- (Secrets Manager API reference). */
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern SECRET_ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+");
    /** DescribeSecret / GetSecretValue SecretId: length 1-2048 (Secrets Manager API reference). */
    private static final int SECRET_ID_MAX = 2048;
    /**
     * VersionId: length 32-64 (Secrets Manager API reference, SecretVersionsListEntry / ClientRequestToken; no
     * character set is documented, SDKs send a UUID). Whitespace is refused as a typo guard.
     */
    private static final Pattern VERSION_ID = Pattern.compile("\\S{32,64}");
    /** Stack names: a letter, then letters, digits and hyphens, at most 128 (CreateStack StackName). */
    private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");
    private static final Pattern STACK_ID =
            Pattern.compile("arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\\d{12}:stack/[A-Za-z][A-Za-z0-9-]{0,127}/[^/\\s]+");
    /**
     * The run id is the execution name: 1-80 characters without whitespace, brackets, wildcards, the special
     * characters " # % \ ^ | ~ ` $ & , ; : / or control characters (Step Functions StartExecution, name).
     */
    private static final Pattern RUN_ID = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]{1,80}");

    private static final Map<String, String> ACCEPTED = new HashMap<>();

    static {
        for (IntRange r : List.of(CONCURRENCY, UPDATE_STACK_RATE, POLL_SECONDS, MAX_POLLS, RESTORE_ATTEMPTS, RESTORE_DELAY_SECONDS,
                ATTEMPT, INDEX, COUNT, DELAY_SECONDS, EXPECTED_SECONDS)) {
            ACCEPTED.put(r.field(), r.accepted());
        }
        ACCEPTED.put("parameterName", "a CloudFormation parameter name: 1-255 letters and digits");
        ACCEPTED.put("versionParameterName", "a CloudFormation parameter name: 1-255 letters and digits");
        ACCEPTED.put("secretId", "a secret name (1-512 of A-Z a-z 0-9 / _ + = . @ -) or a Secrets Manager secret"
                + " ARN, at most " + SECRET_ID_MAX + " characters");
        ACCEPTED.put("versionId", "a secret version id: 32-64 characters without spaces");
        ACCEPTED.put("stackNamePrefix", "the start of a stack name: a letter, then letters, digits and hyphens,"
                + " at most 128 characters");
        ACCEPTED.put("selection", "\"all\" or \"referencing\"");
        ACCEPTED.put("runId", "an execution name: 1-80 characters without spaces, brackets, ? * \" # % \\ ^ | ~ ` $"
                + " & , ; : or /");
        ACCEPTED.put("stack", "a stack name, a stack ARN or {\"stackName\": ..., \"stackId\": ...}");
        ACCEPTED.put("stackName", "a stack name: a letter, then letters, digits and hyphens, at most 128 characters");
        ACCEPTED.put("stackId", "a CloudFormation stack ARN (arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>)");
        ACCEPTED.put("target", "\"true\" or \"false\" (RotateToken), or a secret version id of 32-64 characters"
                + " without spaces (TokenVersion)");
    }

    /** The selection modes of Find Stacks. */
    public enum Selection { ALL, REFERENCING }

    /** Find Stacks input after validation, defaults filled. */
    public record FindRequest(String runId, String parameterName, String versionParameterName, String secretId,
                              String versionId, String prefix, Selection selection, boolean dryRun,
                              RunSettings settings) {}

    /**
     * The deployment's defaults for what the execution input leaves out, from the Find Stacks function's
     * environment: PARAMETER_NAME, VERSION_PARAMETER_NAME, STACK_NAME_PREFIX, SELECTION and each
     * {@link Setting#variable()}. An empty variable counts as unset.
     */
    public record Defaults(String parameterName, String versionParameterName, String stackNamePrefix,
                           String selection, DeploymentSettings settings) {
        public static final Defaults NONE = new Defaults(DeploymentSettings.DEFAULTS);

        public Defaults(String parameterName, String stackNamePrefix, String selection) {
            this(parameterName, null, stackNamePrefix, selection, DeploymentSettings.DEFAULTS);
        }

        /** Only the run settings differ from the deployment's defaults. */
        public Defaults(DeploymentSettings settings) {
            this(null, null, null, null, settings);
        }

        public static Defaults fromEnvironment(Function<String, String> env) {
            DeploymentSettings settings;
            try {
                settings = DeploymentSettings.fromEnvironment(env);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage());
            }
            return new Defaults(text(env, "PARAMETER_NAME"), text(env, "VERSION_PARAMETER_NAME"),
                    text(env, "STACK_NAME_PREFIX"), text(env, "SELECTION"), settings);
        }

        /** The environment variables {@link #fromEnvironment} reads these defaults back from. */
        public Map<String, String> environment() {
            Map<String, String> env = new java.util.LinkedHashMap<>();
            if (parameterName != null) {
                env.put("PARAMETER_NAME", parameterName);
            }
            if (versionParameterName != null) {
                env.put("VERSION_PARAMETER_NAME", versionParameterName);
            }
            if (stackNamePrefix != null) {
                env.put("STACK_NAME_PREFIX", stackNamePrefix);
            }
            if (selection != null) {
                env.put("SELECTION", selection);
            }
            env.putAll(settings.environment());
            return env;
        }

        private static String text(Function<String, String> env, String name) {
            String raw = env.apply(name);
            return raw == null || raw.isBlank() ? null : raw.trim();
        }
    }

    private InputRules() {}

    // ---------------------------------------------------------------- messages

    /** What the field accepts, in words, or null for a field without its own rule (its JSON type then says it). */
    public static String accepted(String field) {
        return ACCEPTED.get(field);
    }

    private static InvalidInputException invalid(String path, String accepted, String got) {
        return new InvalidInputException(path, "expected " + accepted + ", got " + got);
    }

    private static InvalidInputException missing(String path, String accepted) {
        return new InvalidInputException(path, "is required; expected " + accepted);
    }

    /** A string field that must match {@code pattern}; the accepted words come from the field's leaf name. */
    private static String matching(String path, String value, Pattern pattern) {
        if (!pattern.matcher(value).matches()) {
            throw invalid(path, accepted(leaf(path)), Messages.quote(value));
        }
        return value;
    }

    /** Every handler's input is a JSON object ({} where every field is optional), never null. */
    private static <T> T body(T input) {
        if (input == null) {
            throw new InvalidInputException("input", "expected a JSON object, got null");
        }
        return input;
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    // ---------------------------------------------------------------- Find Stacks

    public static FindRequest find(FindStacksInput input, Defaults defaults) {
        body(input);
        String runId = input.runId() == null ? "run-" + UUID.randomUUID() : runId(input.runId());
        RotationRequest given = input.effectiveRequest();
        String at = input.request() != null ? "request." : "";
        String parameterName = given.parameterName() != null ? parameterName(at + "parameterName", given.parameterName())
                : parameterName("parameterName", defaults.parameterName());
        String versionParameterName = defaults.versionParameterName() == null ? DEFAULT_VERSION_PARAMETER
                : matching("versionParameterName", defaults.versionParameterName(), PARAMETER_NAME);
        if (versionParameterName.equals(parameterName)) {
            throw new InvalidInputException(given.parameterName() != null ? at + "parameterName" : "parameterName",
                    Messages.quote(parameterName) + " is also the in-place convention's versionParameterName; expected"
                            + " two different parameter names");
        }
        String secretId = given.secretId() == null ? null : secretId(at + "secretId", given.secretId());
        String versionId = null;
        if (given.versionId() != null) {
            versionId = matching(at + "versionId", given.versionId(), VERSION_ID);
            if (secretId == null) {
                throw new InvalidInputException(at + "versionId", "needs secretId: a version belongs to a secret");
            }
        }
        String prefix = given.stackNamePrefix() != null ? matching(at + "stackNamePrefix", given.stackNamePrefix(),
                STACK_NAME) : defaults.stackNamePrefix() == null ? null
                : matching("stackNamePrefix", defaults.stackNamePrefix(), STACK_NAME);
        Selection selection = given.selection() != null ? selection(at + "selection", given.selection())
                : defaults.selection() == null ? Selection.ALL : selection("selection", defaults.selection());
        if (selection == Selection.REFERENCING && secretId == null) {
            throw new InvalidInputException(at + "selection", "\"referencing\" needs secretId: it keeps the stacks"
                    + " whose template references that secret");
        }
        RunSettings settings = defaults.settings().runSettings();
        if (given.maxConcurrency() != null) {
            settings = settings.withMaxConcurrency(CONCURRENCY.check(at + "maxConcurrency", given.maxConcurrency(), 0));
        }
        return new FindRequest(runId, parameterName, versionParameterName, secretId, versionId, prefix, selection,
                Boolean.TRUE.equals(given.dryRun()), settings);
    }

    /** Validates the deployment's defaults once, at start-up; an error names the environment variable. */
    public static Defaults checkDefaults(Defaults defaults) {
        try {
            find(new FindStacksInput("config-check", null, null, "config-check", null, null, null, null, null),
                    defaults);
        } catch (InvalidInputException e) {
            String variable = e.getMessage().contains("versionParameterName") ? "VERSION_PARAMETER_NAME"
                    : e.getMessage().contains("parameterName") ? "PARAMETER_NAME"
                    : e.getMessage().contains("stackNamePrefix") ? "STACK_NAME_PREFIX" : "SELECTION";
            throw new IllegalStateException("environment variable " + variable + " is invalid: " + e.getMessage());
        }
        return defaults;
    }

    /** A secret id (name, ARN or partial ARN) as DescribeSecret accepts it; {@code path} names the field. */
    /** A stack name prefix as Find Stacks accepts it (a stack name's rules). */
    public static String stackNamePrefix(String path, String value) {
        return value == null ? null : matching(path, value, STACK_NAME);
    }

    public static String secretId(String path, String value) {
        if (value == null) {
            throw missing(path, accepted("secretId"));
        }
        boolean arn = value.startsWith("arn:");
        if (value.length() > SECRET_ID_MAX || !(arn ? SECRET_ARN : SECRET_NAME).matcher(value).matches()) {
            throw invalid(path, accepted("secretId"), Messages.quote(value));
        }
        return value;
    }

    private static Selection selection(String path, String value) {
        return switch (value) {
            case "all" -> Selection.ALL;
            case "referencing" -> Selection.REFERENCING;
            default -> throw invalid(path, accepted("selection"), Messages.quote(value));
        };
    }

    // ---------------------------------------------------------------- fields the other handlers share

    /** The rotation parameter's name: {@value #DEFAULT_PARAMETER} when absent. */
    public static String parameterName(String value) {
        return parameterName("parameterName", value);
    }

    private static String parameterName(String path, String value) {
        return value == null ? DEFAULT_PARAMETER : matching(path, value, PARAMETER_NAME);
    }

    public static String runId(String value) {
        if (value == null) {
            throw missing("runId", accepted("runId"));
        }
        return matching("runId", value, RUN_ID);
    }

    public static StackRef stack(StackRef stack) {
        return stack("stack", stack);
    }

    private static StackRef stack(String path, StackRef stack) {
        if (stack == null || stack.stackId() == null && stack.stackName() == null) {
            throw missing(path, accepted("stack"));
        }
        if (stack.stackName() != null) {
            matching(path + ".stackName", stack.stackName(), STACK_NAME);
        }
        if (stack.stackId() == null) {
            return stack;
        }
        matching(path + ".stackId", stack.stackId(), STACK_ID);
        return stack.stackName() != null ? stack : new StackRef(stack.stackId().split("/")[1], stack.stackId());
    }

    public static String target(String value) {
        if (value == null) {
            throw missing("target", accepted("target"));
        }
        if (!"true".equals(value) && !"false".equals(value) && !VERSION_ID.matcher(value).matches()) {
            throw invalid("target", accepted("target"), Messages.quote(value));
        }
        return value;
    }

    /** An optional point in time (Update Stack's sendAt, Stack Status' nextUpdateAt): an ISO-8601 instant, or null. */
    public static java.time.Instant instant(String path, String value) {
        if (value == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(path, "expected an ISO-8601 instant such as 2026-01-01T00:00:00.500Z, got "
                    + Messages.quote(value));
        }
    }

    public static int attempt(Integer value) {
        return ATTEMPT.check("attempt", value, 0);
    }

    /** Load Planned Stack: the run and the index of its planned stack. */
    public static void load(LoadPlannedStackInput input) {
        runId(body(input).runId());
        INDEX.require("index", input.index());
    }

    /**
     * Record Result: runId, index and ending are required; every other field is what the workflow passed on and
     * may be null (a stack that failed to load has no stack, update or status), but when present it must be sound.
     */
    public static void record(RecordResultInput input) {
        runId(body(input).runId());
        INDEX.require("index", input.index());
        if (input.ending() == null) {
            throw missing("ending", "where the stack's path through the workflow ended, e.g. \"ROTATED\"");
        }
        if (input.stack() != null) {
            stack("stack", input.stack());
        }
        if (input.parameterName() != null) {
            matching("parameterName", input.parameterName(), PARAMETER_NAME);
        }
        if (input.target() != null) {
            target(input.target());
        }
        if (input.settings() != null) {
            settings("settings", input.settings());
        }
        if (input.restore() != null) {
            ATTEMPT.check("restore.attempt", input.restore().attempt(), 0);
            DELAY_SECONDS.check("restore.delaySeconds", input.restore().delaySeconds(), 0);
        }
        if (input.polls() != null) {
            COUNT.check("polls.count", input.polls().count(), 0);
        }
    }

    /** Update Stack's optional tries: 0 when absent. */
    public static int tries(Integer value) {
        return COUNT.check("tries", value, 0);
    }

    /** Stack Status' optional checksMade: 0 when absent. */
    public static int checksMade(Integer value) {
        return COUNT.check("checksMade", value, 0);
    }

    /** Stack Status' optional expectedSeconds: null when absent, otherwise at least 0. */
    public static Integer expectedSeconds(Integer value) {
        return value == null ? null : EXPECTED_SECONDS.check("expectedSeconds", value, 0);
    }

    /** A run's settings as a handler receives them; returns them when every field is in range and consistent. */
    public static RunSettings settings(String path, RunSettings s) {
        CONCURRENCY.check(path + ".maxConcurrency", s.maxConcurrency(), 0);
        UPDATE_STACK_RATE.check(path + ".updateStackRate", s.updateStackRate(), 0);
        POLL_SECONDS.check(path + ".pollSeconds", s.pollSeconds(), 0);
        MAX_POLLS.check(path + ".maxPolls", s.maxPolls(), 0);
        RESTORE_ATTEMPTS.check(path + ".restoreAttempts", s.restoreAttempts(), 0);
        RESTORE_DELAY_SECONDS.check(path + ".restoreDelaySeconds", s.restoreDelaySeconds(), 0);
        List<Integer> derived = RunSettings.restoreDelays(s.restoreAttempts(), s.restoreDelaySeconds());
        if (!derived.equals(s.restoreDelaysSeconds())) {
            throw new InvalidInputException(path + ".restoreDelaysSeconds", "expected " + derived + " (one per restore"
                    + " attempt, doubling from restoreDelaySeconds, at most " + RunSettings.MAX_RESTORE_DELAY_SECONDS
                    + "), got " + Messages.quote(String.valueOf(s.restoreDelaysSeconds())));
        }
        return s;
    }

    // ---------------------------------------------------------------- checks against what AWS reports

    /**
     * The version a run was asked for must be one DescribeSecret lists for the secret. DescribeSecret's
     * VersionIdsToStages holds only versions that carry a staging label: a version missing from it does not exist
     * or is deprecated (has no label; Secrets Manager may delete it). Secrets Manager API reference, DescribeSecret.
     */
    public static void versionExists(String versionId, String secretName, Map<String, List<String>> versionIdsToStages) {
        if (versionId != null && !versionIdsToStages.containsKey(versionId)) {
            throw new InvalidInputException("versionId", Messages.quote(versionId) + " is not a version of secret "
                    + Messages.quote(secretName) + "; expected one of its " + versionIdsToStages.size() + " version(s) with a"
                    + " staging label (a version without one is deprecated or does not exist)");
        }
    }

    /**
     * The rotation parameter must not be NoEcho: DescribeStacks shows a NoEcho value as {@code ****}, so neither
     * the value before an update nor the one after it can be confirmed (CloudFormation user guide, Parameters,
     * NoEcho). Terminal for that stack: {@link StackNotUpdatableException}.
     */
    public static void notNoEcho(String stackName, String parameterName, String currentValue) {
        if (StackDescription.MASKED.equals(currentValue)) {
            throw new StackNotUpdatableException(stackName, "parameter " + parameterName + " is NoEcho: DescribeStacks"
                    + " shows its value as ****, so its value cannot be confirmed before or after an update. Make "
                    + parameterName + " a plain parameter (remove NoEcho), or leave this stack out");
        }
    }
}
