package io.tokenrotator.aws;

import io.tokenrotator.errors.AwsRequestRejectedException;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.errors.TokenRotatorException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Secrets Manager's errors for DescribeSecret (after the SDK's own retries): the shared rules of {@link AwsErrors};
 * {@code InvalidParameterException} / {@code InvalidRequestException} mean the secret id itself is unusable
 * (API_DescribeSecret, "Errors"); anything else is rejected as is. ResourceNotFoundException is the caller's
 * business (an absent secret is an answer, not an error).
 */
public final class SecretsManagerErrors {
    private SecretsManagerErrors() {}

    public static TokenRotatorException translate(SdkException e) {
        return AwsErrors.common("Secrets Manager", null, e).orElseGet(() -> {
            AwsServiceException s = (AwsServiceException) e;
            String code = AwsErrors.code(s);
            if ("InvalidParameterException".equals(code) || "InvalidRequestException".equals(code)) {
                return new InvalidInputException("secretId", "was refused by Secrets Manager: " + AwsErrors.message(s));
            }
            return new AwsRequestRejectedException("Secrets Manager", code, AwsErrors.message(s));
        });
    }
}
