package io.tokenrotator.port;

/**
 * PutSecretValue, the one call that writes a secret's value (only the credential lifecycle makes it). Nothing in
 * Token Rotator reads a value back.
 */
public interface SecretValueWriter {
    /**
     * Stores {@code secretString} as a new version labelled AWSCURRENT. {@code clientRequestToken} (32-64
     * characters) becomes the version id: a repeat with the same token and value creates nothing new
     * (PutSecretValue API reference, ClientRequestToken). Returns the version id.
     */
    String put(String secretId, String clientRequestToken, String secretString);
}
