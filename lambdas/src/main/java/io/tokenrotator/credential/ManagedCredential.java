package io.tokenrotator.credential;

import java.time.Duration;

/**
 * One credential Token Rotator owns: the secret that holds it, its kind, the IAM user it belongs to, and the
 * waits before retiring the old one. Defaults, chosen from AWS's guidance (README, "Credential lifecycle"):
 * <ul>
 *   <li>quiet period {@value #DEFAULT_QUIET_PERIOD_SECONDS} s (24 h): GetAccessKeyLastUsed shows recent activity
 *       "usually within 4 hours" (IAM user guide, "Managing access keys"), so a shorter wait could miss a use;</li>
 *   <li>grace period {@value #DEFAULT_GRACE_PERIOD_SECONDS} s (7 days): AWS's procedure deactivates the old key
 *       and deletes it only later, so that a forgotten user can be found and the key reactivated meanwhile (IAM user
 *       guide, "Rotating access keys"); a week covers weekly jobs.</li>
 * </ul>
 */
public record ManagedCredential(String secretId, String kind, String userName, long quietPeriodSeconds,
                                long gracePeriodSeconds) {
    public static final String IAM_ACCESS_KEY = "IAM_ACCESS_KEY";
    public static final long DEFAULT_QUIET_PERIOD_SECONDS = 24 * 3600;
    public static final long DEFAULT_GRACE_PERIOD_SECONDS = 7 * 24 * 3600;
    public static final long MAX_QUIET_PERIOD_SECONDS = Duration.ofDays(30).toSeconds();
    public static final long MAX_GRACE_PERIOD_SECONDS = Duration.ofDays(90).toSeconds();
    /** IAM user names: 1-64 of {@code [\w+=,.@-]} (IAM API reference, CreateUser). */
    public static final String USER_NAME_PATTERN = "[\\w+=,.@-]{1,64}";
}
