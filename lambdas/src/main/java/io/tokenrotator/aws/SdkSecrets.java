package io.tokenrotator.aws;

import io.tokenrotator.port.SecretsPort;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.Optional;

/** {@link SecretsPort} over the SDK v2 Secrets Manager client: DescribeSecret only, never GetSecretValue. */
public final class SdkSecrets implements SecretsPort {
    private final SecretsManagerClient client;

    public SdkSecrets(SecretsManagerClient client) {
        this.client = client;
    }

    @Override
    public Optional<SecretDescription> describeSecret(String secretId) {
        try {
            DescribeSecretResponse r = client.describeSecret(b -> b.secretId(secretId));
            return Optional.of(new SecretDescription(r.arn(), r.name(), r.versionIdsToStages()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw SecretsManagerErrors.translate(e);
        }
    }
}
