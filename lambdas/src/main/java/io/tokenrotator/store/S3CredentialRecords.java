package io.tokenrotator.store;

import io.tokenrotator.contract.CredentialRecord;
import io.tokenrotator.json.Json;
import io.tokenrotator.port.CredentialRecords;
import io.tokenrotator.aws.S3Errors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.ByteArrayInputStream;
import java.util.Optional;

/** {@link CredentialRecords} in the run bucket: {@code credentials/<secret name>/record.json}. */
public final class S3CredentialRecords implements CredentialRecords {
    public static final String PREFIX = "credentials/";
    private final S3Client s3;
    private final String bucket;

    public S3CredentialRecords(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public static String key(String secretName) {
        return PREFIX + secretName + "/record.json";
    }

    @Override
    public Optional<CredentialRecord> load(String secretName) {
        try {
            byte[] json = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key(secretName))).asByteArray();
            return Optional.of(Json.read(new ByteArrayInputStream(json), CredentialRecord.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw S3Errors.translate(e);
        }
    }

    @Override
    public void save(CredentialRecord record) {
        try {
            s3.putObject(r -> r.bucket(bucket).key(key(record.secretName())).contentType("application/json"),
                    RequestBody.fromString(Json.write(record)));
        } catch (SdkException e) {
            throw S3Errors.translate(e);
        }
    }
}
