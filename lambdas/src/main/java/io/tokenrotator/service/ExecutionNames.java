package io.tokenrotator.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The execution name of a rotation for one secret version: the same for every start (the EventBridge trigger,
 * a duplicate delivery, the CLI), so Step Functions itself refuses a second execution of that version.
 * Readable prefix from the secret name, then a hash of ARN and version; at most 80 characters.
 */
public final class ExecutionNames {
    private ExecutionNames() {}

    public static String forSecretVersion(String secretName, String secretArn, String versionId) {
        String readable = secretName.replaceAll("[^A-Za-z0-9_-]", "-");
        if (readable.length() > 40) {
            readable = readable.substring(0, 40);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((secretArn + "|" + versionId).getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
