package io.tokenrotator.aws;

import io.tokenrotator.errors.AwsRequestRejectedException;
import io.tokenrotator.errors.TokenRotatorException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * S3's errors (after the SDK's own retries): the shared rules of {@link AwsErrors} (S3 throttles with 503
 * SlowDown, which the SDK reports as throttling; a denial is 403 AccessDenied, which is also what GetObject of a
 * missing key answers without s3:ListBucket); anything else is rejected as is. NoSuchKey is the caller's business.
 */
public final class S3Errors {
    private S3Errors() {}

    public static TokenRotatorException translate(SdkException e) {
        return AwsErrors.common("S3", null, e).orElseGet(() -> new AwsRequestRejectedException("S3",
                AwsErrors.code((AwsServiceException) e), AwsErrors.message((AwsServiceException) e)));
    }
}
