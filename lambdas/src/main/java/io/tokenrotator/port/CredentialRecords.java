package io.tokenrotator.port;

import io.tokenrotator.contract.CredentialRecord;

import java.util.Optional;

/** Where each managed credential's record lives (S3, {@code credentials/<secret name>/record.json}). */
public interface CredentialRecords {
    Optional<CredentialRecord> load(String secretName);

    void save(CredentialRecord record);
}
