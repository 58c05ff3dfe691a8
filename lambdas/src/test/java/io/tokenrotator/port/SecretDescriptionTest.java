package io.tokenrotator.port;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** DescribeSecret's VersionIdsToStages: the version whose staging labels include AWSCURRENT is the current one. */
class SecretDescriptionTest {
    private static SecretsPort.SecretDescription secret(Map<String, List<String>> versions) {
        return new SecretsPort.SecretDescription("arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf", "s",
                versions);
    }

    @Test
    void theCurrentVersionIsTheOneWhoseStagesIncludeAwsCurrentAmongOtherLabels() {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        versions.put("v-previous", List.of("AWSPREVIOUS"));
        versions.put("v-pending", List.of("AWSPENDING"));
        versions.put("v-current", List.of("blue", "AWSCURRENT"));

        assertThat(secret(versions).currentVersion()).contains("v-current");
    }

    @Test
    void aSecretWithNoAwsCurrentLabelHasNoCurrentVersion() {
        assertThat(secret(Map.of("v-pending", List.of("AWSPENDING"))).currentVersion()).isEmpty();
        assertThat(secret(Map.of()).currentVersion()).isEmpty();
    }
}
