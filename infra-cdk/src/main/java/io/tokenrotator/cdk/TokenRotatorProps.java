package io.tokenrotator.cdk;

import io.tokenrotator.credential.ManagedCredential;
import io.tokenrotator.credential.ManagedCredentials;
import io.tokenrotator.json.Json;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.target.Targets;
import io.tokenrotator.settings.Setting;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.sns.ITopic;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Configuration of a {@link TokenRotator}. Every property is optional; {@link #builder()} documents the default.
 */
public final class TokenRotatorProps {
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9]{1,255}");
    private static final Pattern STACK_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");

    private final String parameterName;
    private final String versionParameterName;
    private final List<String> secrets;
    private final DeploymentSettings settings;
    private final String stackNamePrefix;
    private final String selection;
    private final boolean createTrail;
    private final ITopic alarmTopic;
    private final Code lambdaCode;
    private final List<ManagedCredentialProps> managedCredentials;
    private final List<TargetProps> targets;
    private final boolean includeHome;

    private TokenRotatorProps(Builder b) {
        this.parameterName = b.parameterName;
        this.versionParameterName = b.versionParameterName;
        this.secrets = List.copyOf(b.secrets);
        this.settings = DeploymentSettings.of(b.settings::get, TokenRotatorProps::label);
        this.stackNamePrefix = b.stackNamePrefix;
        this.selection = b.selection;
        this.createTrail = b.createTrail;
        this.alarmTopic = b.alarmTopic;
        this.lambdaCode = b.lambdaCode;
        this.managedCredentials = List.copyOf(b.managedCredentials);
        this.targets = List.copyOf(b.targets);
        this.includeHome = b.includeHome;
        validate();
        checkManagedCredentials(managedCredentials);
        checkTargets();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every one of these props, to change some of them. */
    public Builder toBuilder() {
        Builder b = builder().parameterName(parameterName).versionParameterName(versionParameterName).secrets(secrets).stackNamePrefix(stackNamePrefix)
                .selection(selection)
                .createTrail(createTrail).alarmTopic(alarmTopic).lambdaCode(lambdaCode)
                .managedCredentials(managedCredentials).targets(targets).includeHome(includeHome);
        b.settings.putAll(settings.values());
        return b;
    }

    private void validate() {
        if (!PARAMETER_NAME.matcher(versionParameterName).matches()) {
            throw new IllegalArgumentException("versionParameterName: '" + versionParameterName + "' is not a"
                    + " CloudFormation parameter name (1-255 letters and digits)");
        }
        if (versionParameterName.equals(parameterName)) {
            throw new IllegalArgumentException("versionParameterName: '" + versionParameterName + "' is also"
                    + " parameterName; the two conventions need two different parameters");
        }
        if (!PARAMETER_NAME.matcher(parameterName).matches()) {
            throw new IllegalArgumentException("parameterName: '" + parameterName + "' is not a CloudFormation"
                    + " parameter name (1-255 letters and digits)");
        }
        if (stackNamePrefix != null && !STACK_PREFIX.matcher(stackNamePrefix).matches()) {
            throw new IllegalArgumentException("stackNamePrefix: '" + stackNamePrefix + "' cannot begin a stack name");
        }
        if (!selection.equals("all") && !selection.equals("referencing")) {
            throw new IllegalArgumentException("selection: must be 'all' or 'referencing', got '" + selection + "'");
        }
        if (selection.equals("referencing") && secrets.isEmpty()) {
            throw new IllegalArgumentException("selection: 'referencing' needs at least one secret in secrets");
        }
        for (String s : secrets) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("secrets: contains an empty entry");
            }
        }
    }

    /**
     * Each managed credential, checked as the lifecycle's functions check their MANAGED_CREDENTIALS entries
     * ({@link ManagedCredentials#check}), with one line naming the entry: a secret given once (by name or ARN, or as
     * an ISecret), an IAM user name, a Scheduler expression, and waits of whole seconds within their ranges.
     */
    static void checkManagedCredentials(List<ManagedCredentialProps> credentials) {
        java.util.Set<String> secretIds = new HashSet<>();
        for (int i = 0; i < credentials.size(); i++) {
            ManagedCredentialProps c = credentials.get(i);
            String where = "managedCredentials entry " + i;
            if (c == null) {
                throw new IllegalArgumentException(where + ": is null");
            }
            if ((c.secret() == null || c.secret().isBlank()) == (c.secretRef() == null)) {
                throw new IllegalArgumentException(where + ": give the secret either by name or ARN (secret(String))"
                        + " or as an ISecret (secret(ISecret)), one of the two");
            }
            if (!ManagedCredentialProps.SCHEDULE.matcher(c.schedule()).matches()) {
                throw new IllegalArgumentException(where + ": schedule '" + c.schedule() + "' is not an EventBridge"
                        + " Scheduler expression: rate(<n> minutes|hours|days), cron(<6 fields>) or"
                        + " at(yyyy-mm-ddThh:mm:ss)");
            }
            long quiet = seconds(c.quietPeriod(), where + ": quietPeriod");
            long grace = seconds(c.gracePeriod(), where + ": gracePeriod");
            if (quiet > ManagedCredential.MAX_QUIET_PERIOD_SECONDS) {
                throw new IllegalArgumentException(where + ": quietPeriod must be 0 seconds to 30 days, got "
                        + c.quietPeriod().toHumanString());
            }
            if (grace > ManagedCredential.MAX_GRACE_PERIOD_SECONDS) {
                throw new IllegalArgumentException(where + ": gracePeriod must be 0 seconds to 90 days, got "
                        + c.gracePeriod().toHumanString());
            }
            ManagedCredentials.check(new ManagedCredentials.Entry(c.secretId(), ManagedCredential.IAM_ACCESS_KEY,
                    c.userName(), quiet, grace), where);
            if (!secretIds.add(c.secretId().trim())) {
                throw new IllegalArgumentException(where + ": secret " + c.secretId() + " is already managed by an"
                        + " earlier entry; a secret holds one credential");
            }
        }
    }

    /**
     * The targets, checked as the functions will read them ({@link Targets#parse}: one line naming the entry). The
     * home account and region are not known here (they may be deploy-time values): only the entries are checked.
     */
    private void checkTargets() {
        if (targetsJson() != null) {
            Targets.parse(targetsJson(), "targets", "aws", "000000000000", "home-region-0");
        }
    }

    /**
     * The functions' {@value Targets#VARIABLE}: {@code {"includeHome": ..., "targets": [...]}}; null when only the
     * home target exists (no targets configured: the single-account setup, unchanged).
     */
    String targetsJson() {
        if (targets.isEmpty() && includeHome) {
            return null;
        }
        return Json.write(new Targets.Config(includeHome, targets.stream().map(TargetProps::entry).toList()));
    }

    private static long seconds(Duration d, String what) {
        double seconds = d.toSeconds(software.amazon.awscdk.TimeConversionOptions.builder().integral(false).build())
                .doubleValue();
        if (seconds < 0 || seconds != Math.floor(seconds)) {
            throw new IllegalArgumentException(what + " must be a whole number of seconds, got " + d.toHumanString());
        }
        return (long) seconds;
    }

    /** A setting as this class names it, with the unit its number is read in. */
    private static String label(Setting s) {
        return switch (s.unit()) {
            case SECONDS -> s.prop() + " (in seconds)";
            case MINUTES -> s.prop() + " (in minutes)";
            default -> s.prop();
        };
    }

    /** The run settings these props give Find Stacks (through its environment). */
    public DeploymentSettings settings() { return settings; }

    public String parameterName() { return parameterName; }
    public String versionParameterName() { return versionParameterName; }
    public List<String> secrets() { return secrets; }
    public int maxConcurrency() { return settings.get(Setting.MAX_CONCURRENCY); }
    public int updateStackRate() { return settings.get(Setting.UPDATE_STACK_RATE); }
    public Duration pollInterval() { return Duration.seconds(settings.get(Setting.POLL_SECONDS)); }
    public Duration maxWaitPerPhase() { return Duration.minutes(settings.get(Setting.MAX_WAIT_MINUTES)); }
    public int restoreAttempts() { return settings.get(Setting.RESTORE_ATTEMPTS); }
    public Duration restoreDelay() { return Duration.seconds(settings.get(Setting.RESTORE_DELAY_SECONDS)); }
    public String stackNamePrefix() { return stackNamePrefix; }
    public String selection() { return selection; }
    public boolean createTrail() { return createTrail; }
    public ITopic alarmTopic() { return alarmTopic; }
    public Code lambdaCode() { return lambdaCode; }
    public List<ManagedCredentialProps> managedCredentials() { return managedCredentials; }
    public List<TargetProps> targets() { return targets; }
    public boolean includeHome() { return includeHome; }

    public static final class Builder {
        private String parameterName = "RotateToken";
        private String versionParameterName = "TokenVersion";
        private List<String> secrets = List.of();
        /** The run settings given so far; the others keep their {@link Setting#defaultValue()}. */
        private final Map<Setting, Integer> settings = new EnumMap<>(Setting.class);
        private String stackNamePrefix;
        private String selection = "all";
        private boolean createTrail;
        private ITopic alarmTopic;
        private Code lambdaCode;
        private List<ManagedCredentialProps> managedCredentials = List.of();
        private List<TargetProps> targets = List.of();
        private boolean includeHome = true;

        /** The stack parameter that gates the secret-holding resources. Default "RotateToken". */
        public Builder parameterName(String v) { this.parameterName = v; return this; }

        /**
         * The in-place convention's parameter: a stack that declares it (and not parameterName) is updated once, to
         * the secret's new version id. Default "TokenVersion".
         */
        public Builder versionParameterName(String v) { this.versionParameterName = v; return this; }

        /**
         * Secrets whose change starts a rotation: names, full ARNs or ARNs without the suffix. Default none: no
         * EventBridge rule is created and rotations start only by hand.
         */
        public Builder secrets(List<String> v) { this.secrets = v; return this; }

        /**
         * Most stacks in flight at the same time: a safety cap, updateStackRate paces the run. Default 1000, which
         * does not limit throughput at the rates CloudFormation allows (see README, Benchmark).
         */
        public Builder maxConcurrency(int v) { return set(Setting.MAX_CONCURRENCY, v); }

        /**
         * UpdateStack calls per second a run may spend in the account and region; each planned stack gets a start
         * slot so that the run keeps to it. Default 1 (CloudFormation documents no rate; accounts are throttled at a
         * few calls a second: half of that is left to the account's own deployments).
         */
        public Builder updateStackRate(int v) { return set(Setting.UPDATE_STACK_RATE, v); }

        /** Wait between two status checks of a stack. Default 20 seconds. */
        public Builder pollInterval(Duration v) { return set(Setting.POLL_SECONDS, v.toSeconds().intValue()); }

        /**
         * Status-checking time of each phase of a stack (phase 1, phase 2 and every restore attempt each get this
         * much) before the stack is reported NEEDS_ATTENTION. Default 60 minutes. With pollInterval and
         * restoreAttempts it must keep a stack's execution under Step Functions' 25,000 history events: synth fails
         * otherwise, naming the limit.
         */
        public Builder maxWaitPerPhase(Duration v) { return set(Setting.MAX_WAIT_MINUTES, v.toMinutes().intValue()); }

        /** Extra RotateToken=true attempts after phase 2 failed or rolled back. Default 3. */
        public Builder restoreAttempts(int v) { return set(Setting.RESTORE_ATTEMPTS, v); }

        /** Wait before the first restore attempt, doubled before each next one. Default 60 seconds. */
        public Builder restoreDelay(Duration v) { return set(Setting.RESTORE_DELAY_SECONDS, v.toSeconds().intValue()); }

        /** Rotate only stacks whose name starts with this; also scopes UpdateStack permission. Default: all. */
        public Builder stackNamePrefix(String v) { this.stackNamePrefix = v; return this; }

        /** "all" (default): every stack with the parameter; "referencing": only those that reference the secret. */
        public Builder selection(String v) { this.selection = v; return this; }

        /** Create a CloudTrail trail (the trigger needs one with management events). Default false. */
        public Builder createTrail(boolean v) { this.createTrail = v; return this; }

        /** Where alarms go. Default: a new SNS topic. */
        public Builder alarmTopic(ITopic v) { this.alarmTopic = v; return this; }

        /**
         * The code of every function (the handlers of token-rotator-lambdas, shaded into one jar). Default: the jar
         * shipped inside token-rotator-cdk, deployed as an asset. Give your own to deploy a jar you built or
         * published yourself, e.g. {@code Code.fromBucket(bucket, key)}.
         */
        public Builder lambdaCode(Code v) { this.lambdaCode = v; return this; }

        /**
         * Credentials whose whole life Token Rotator owns (README, "Credential lifecycle"): on each one's schedule a
         * new access key is created, stored in the secret, rotated into every consuming stack, and the old key is
         * retired once nothing uses it. Default none: no lifecycle state machine, functions or schedules are created.
         */
        public Builder managedCredentials(List<ManagedCredentialProps> v) { this.managedCredentials = v; return this; }

        /**
         * The other accounts and regions to rotate stacks in (README, "Many accounts and regions"): each entry's
         * accounts x regions, reached through the role each target account deploys ({@link TokenRotatorTargetRole}).
         * Default none: only the deployment's own account and region, and the template is the single-account one.
         */
        public Builder targets(List<TargetProps> v) { this.targets = v; return this; }

        /** Whether the deployment's own account and region is a target too. Default true. */
        public Builder includeHome(boolean v) { this.includeHome = v; return this; }

        /** One run setting by its {@link Setting}: how the CDK app applies its context; checked when the props are built. */
        Builder set(Setting setting, int value) { settings.put(setting, value); return this; }

        public TokenRotatorProps build() {
            return new TokenRotatorProps(this);
        }
    }
}
