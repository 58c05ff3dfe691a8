package io.tokenrotator.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * ClientRequestTokens derived from (run, stack, phase, attempt): a retried call of the same step repeats its token,
 * so CloudFormation recognises it instead of starting a second update; a restore attempt gets a new one, so
 * CloudFormation does not mistake it for the failed attempt before it.
 */
public final class RequestTokens {
    private RequestTokens() {}

    public static String forUpdate(String runId, String stackId, String target, int attempt) {
        String phase = "true".equals(target) ? "on" : "off";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (runId + "\n" + stackId + "\n" + target + "\n" + attempt).getBytes(StandardCharsets.UTF_8));
            return "tr-" + phase + "-" + attempt + "-" + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
