package io.tokenrotator.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Secrets Manager call Token Rotator makes: DescribeSecret, which never returns a value. */
public interface SecretsPort {
    /**
     * DescribeSecret's answer without a value. {@code versionIdsToStages} is its VersionIdsToStages: each version's
     * staging labels; the one labelled AWSCURRENT is what GetSecretValue (and so a stack re-deploy) reads by default
     * (Secrets Manager API reference, DescribeSecret and "Secret versions").
     */
    record SecretDescription(String arn, String name, Map<String, List<String>> versionIdsToStages) {
        public static final String AWSCURRENT = "AWSCURRENT";

        /** The version whose staging labels include AWSCURRENT, if any. */
        public Optional<String> currentVersion() {
            return versionIdsToStages.entrySet().stream().filter(e -> e.getValue().contains(AWSCURRENT))
                    .map(Map.Entry::getKey).findFirst();
        }
    }

    Optional<SecretDescription> describeSecret(String secretId);
}
