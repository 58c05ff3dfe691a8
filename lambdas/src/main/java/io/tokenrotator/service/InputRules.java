package io.tokenrotator.service;

import io.tokenrotator.contract.FindStacksInput;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.contract.StackRef;
import io.tokenrotator.errors.InvalidInputException;

import java.util.Locale;
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
    private static final Pattern STACK_ID =
            Pattern.compile("arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\\d{12}:stack/[A-Za-z][A-Za-z0-9-]*/.+");

    /** The selection modes of Find Stacks. */
    public enum Selection { ALL, REFERENCING }

    /** Find Stacks input after validation, defaults filled. */
    public record FindRequest(String runId, String parameterName, String secretId, String versionId, String prefix,
                              Selection selection) {}

    /**
     * The deployment's defaults for what the execution input leaves out (from the Find Stacks function's
     * environment: PARAMETER_NAME, STACK_NAME_PREFIX, SELECTION).
     */
    public record Defaults(String parameterName, String stackNamePrefix, String selection) {
        public static final Defaults NONE = new Defaults(null, null, null);

        public static Defaults fromEnvironment(java.util.function.Function<String, String> env) {
            return new Defaults(env.apply("PARAMETER_NAME"), env.apply("STACK_NAME_PREFIX"), env.apply("SELECTION"));
        }
    }

    private InputRules() {}

    public static FindRequest find(FindStacksInput input, Defaults defaults) {
        if (input == null) {
            throw new InvalidInputException("runId", "is required");
        }
        String runId = runId(input.runId());
        RotationRequest given = input.request() == null ? RotationRequest.empty() : input.request();
        RotationRequest in = new RotationRequest(
                given.parameterName() != null ? given.parameterName() : defaults.parameterName(),
                given.secretId(), given.versionId(),
                given.stackNamePrefix() != null ? given.stackNamePrefix() : defaults.stackNamePrefix(),
                given.selection() != null ? given.selection() : defaults.selection(), given.dryRun());
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
        return new FindRequest(runId, parameterName, secretId, versionId, prefix, selection);
    }

    /** Validates the deployment's defaults once, at start-up; an error names the environment variable. */
    public static Defaults checkDefaults(Defaults defaults) {
        try {
            find(new FindStacksInput("config-check",
                    new RotationRequest(null, "config-check", null, null, null, null)), defaults);
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
        if (stack == null) {
            throw new InvalidInputException("stack", "is required: {\"stackName\": ..., \"stackId\": ...}");
        }
        if (stack.stackId() == null || !STACK_ID.matcher(stack.stackId()).matches()) {
            throw new InvalidInputException("stack.stackId", stack.stackId() == null ? "is required"
                    : "'" + stack.stackId() + "' is not a CloudFormation stack ARN");
        }
        String name = stack.stackName() == null ? stack.stackId().split("/")[1] : stack.stackName();
        return new StackRef(name, stack.stackId());
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
