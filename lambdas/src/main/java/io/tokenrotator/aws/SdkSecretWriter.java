package io.tokenrotator.aws;

import io.tokenrotator.port.SecretValueWriter;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@link SecretValueWriter} over the SDK v2 Secrets Manager client: PutSecretValue with a ClientRequestToken. */
public final class SdkSecretWriter implements SecretValueWriter {
    private final SecretsManagerClient client;

    public SdkSecretWriter(SecretsManagerClient client) {
        this.client = client;
    }

    @Override
    public String put(String secretId, String clientRequestToken, String secretString) {
        try {
            return client.putSecretValue(r -> r.secretId(secretId).clientRequestToken(clientRequestToken)
                    .secretString(secretString)).versionId();
        } catch (SdkException e) {
            throw SecretsManagerErrors.translate(e);
        }
    }
}
