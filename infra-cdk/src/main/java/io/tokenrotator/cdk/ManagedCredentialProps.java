package io.tokenrotator.cdk;

import io.tokenrotator.credential.ManagedCredential;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.secretsmanager.ISecret;

import java.util.regex.Pattern;

/**
 * One credential the construct's credential lifecycle manages (an IAM user's access key, stored in a secret):
 * {@code ManagedCredentialProps.builder().secret("prod/deploy-bot-key").userName("deploy-bot").build()}.
 *
 * @param secret      the secret that holds the key, by name or ARN (full, or without its 6-character suffix); or
 * @param secretRef   the same as an {@link ISecret} (give one of the two)
 * @param userName    the IAM user whose access key it is (a user without a path)
 * @param schedule    when a cycle starts, an EventBridge Scheduler expression; default {@value #DEFAULT_SCHEDULE}
 * @param quietPeriod wait between the cut-over and the old key's last-use check; default 24 hours
 * @param gracePeriod wait between deactivating and deleting the old key; default 7 days
 */
public record ManagedCredentialProps(String secret, ISecret secretRef, String userName, String schedule,
                                     Duration quietPeriod, Duration gracePeriod) {
    /** AWS's advice: rotate access keys every 90 days (IAM user guide, "Rotating access keys"). */
    public static final String DEFAULT_SCHEDULE = "rate(90 days)";
    /**
     * EventBridge Scheduler's expressions (Scheduler API reference, CreateSchedule ScheduleExpression): {@code
     * rate(value unit)} with a positive whole value and minute(s), hour(s) or day(s); {@code cron(fields)} with six
     * fields; {@code at(yyyy-mm-ddThh:mm:ss)}.
     */
    static final Pattern SCHEDULE = Pattern.compile("rate\\([1-9][0-9]* (minutes?|hours?|days?)\\)"
            + "|cron\\(\\S+( \\S+){5}\\)|at\\(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\)");

    public ManagedCredentialProps {
        schedule = schedule == null ? DEFAULT_SCHEDULE : schedule;
        quietPeriod = quietPeriod == null ? Duration.seconds(ManagedCredential.DEFAULT_QUIET_PERIOD_SECONDS) : quietPeriod;
        gracePeriod = gracePeriod == null ? Duration.seconds(ManagedCredential.DEFAULT_GRACE_PERIOD_SECONDS) : gracePeriod;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the lifecycle's input and environment name the secret by: the configured name or ARN. */
    String secretId() {
        return secretRef != null ? secretRef.getSecretArn() : secret;
    }

    public static final class Builder {
        private String secret;
        private ISecret secretRef;
        private String userName;
        private String schedule;
        private Duration quietPeriod;
        private Duration gracePeriod;

        /** The secret by name, full ARN or ARN without its suffix. */
        public Builder secret(String v) { this.secret = v; return this; }

        /** The secret as a construct (e.g. {@code Secret.fromSecretNameV2(...)}). */
        public Builder secret(ISecret v) { this.secretRef = v; return this; }

        public Builder userName(String v) { this.userName = v; return this; }

        /** An EventBridge Scheduler expression. Default {@value #DEFAULT_SCHEDULE}. */
        public Builder schedule(String v) { this.schedule = v; return this; }

        /** Default 24 hours (GetAccessKeyLastUsed shows a use "usually within 4 hours"); 0 to 30 days. */
        public Builder quietPeriod(Duration v) { this.quietPeriod = v; return this; }

        /** Default 7 days (time to notice a forgotten user and reactivate the key); 0 to 90 days. */
        public Builder gracePeriod(Duration v) { this.gracePeriod = v; return this; }

        public ManagedCredentialProps build() {
            return new ManagedCredentialProps(secret, secretRef, userName, schedule, quietPeriod, gracePeriod);
        }
    }
}
