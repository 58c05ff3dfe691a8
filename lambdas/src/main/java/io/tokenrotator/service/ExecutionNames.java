package io.tokenrotator.service;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Every execution name Token Rotator gives, in one place. Step Functions names are 1-80 characters and a closed
 * execution's name stays taken for 90 days (API_StartExecution).
 * <ul>
 *   <li>{@link #forSecretVersion}: the rotation of one secret version, {@code <secret>-<hash of ARN and version>},
 *       the same for every start (the EventBridge trigger, a duplicate delivery, the CLI), so Step Functions itself
 *       refuses a second execution of that version;</li>
 *   <li>{@link #dryRun}: {@code <that>-dry-run};</li>
 *   <li>{@link #attempt}: a re-run of the same version after its execution closed, {@code <that>-r2}, {@code -r3}, ...;</li>
 *   <li>{@link #manual}: a start without a secret, {@code manual-<minute>-<hash of the input>}.</li>
 * </ul>
 */
public final class ExecutionNames {
    public static final int MAX_LENGTH = 80;
    /** Re-runs of one version beyond this are refused: the name would be ambiguous to read, and it is never needed. */
    public static final int MAX_ATTEMPTS = 99;

    private ExecutionNames() {}

    public static String forSecretVersion(String secretName, String secretArn, String versionId) {
        String readable = secretName.replaceAll("[^A-Za-z0-9_-]", "-");
        if (readable.length() > 40) {
            readable = readable.substring(0, 40);
        }
        return readable + "-" + Hashes.sha256Hex(secretArn + "|" + versionId, 20);
    }

    public static String dryRun(String base) {
        return base + "-dry-run";
    }

    /** Attempt 1 is the base name itself; attempt n (2..99) is {@code <base>-r<n>}, at most 80 characters. */
    public static String attempt(String base, int n) {
        if (n < 1 || n > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempt must be from 1 to " + MAX_ATTEMPTS + ", got " + n);
        }
        String name = n == 1 ? base : base + "-r" + n;
        if (name.length() > MAX_LENGTH) {
            throw new IllegalStateException("execution name '" + name + "' is longer than " + MAX_LENGTH);
        }
        return name;
    }

    /** The same request in the same minute gets the same name, so a double start is harmless. */
    public static String manual(LocalDateTime now, String inputJson) {
        return "manual-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")) + "-" + Hashes.sha256Hex(inputJson, 12);
    }

    /** The ARN of the execution {@code name} of a state machine (arn:...:stateMachine:M -> arn:...:execution:M:name). */
    public static String executionArn(String stateMachineArn, String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }
}
