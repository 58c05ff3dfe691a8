package io.tokenrotator.service;

/**
 * ClientRequestTokens derived from (run, stack, phase, attempt): a retried call of the same step repeats its token,
 * so CloudFormation recognises it instead of starting a second update; a restore attempt gets a new one, so
 * CloudFormation does not mistake it for the failed attempt before it.
 */
public final class RequestTokens {
    private RequestTokens() {}

    public static String forUpdate(String runId, String stackId, String target, int attempt) {
        String phase = switch (target) {
            case "true" -> "on";
            case "false" -> "off";
            default -> "set"; // a TokenVersion (in-place): the version id is in the hash
        };
        return "tr-" + phase + "-" + attempt + "-"
                + Hashes.sha256Hex(runId + "\n" + stackId + "\n" + target + "\n" + attempt, 40);
    }
}
