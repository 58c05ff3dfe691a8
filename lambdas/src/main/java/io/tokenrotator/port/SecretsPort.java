package io.tokenrotator.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Secrets Manager call Token Rotator makes: DescribeSecret, which never returns a value. */
public interface SecretsPort {
    record SecretDescription(String arn, String name, Map<String, List<String>> versionIdsToStages) {}

    Optional<SecretDescription> describeSecret(String secretId);
}
