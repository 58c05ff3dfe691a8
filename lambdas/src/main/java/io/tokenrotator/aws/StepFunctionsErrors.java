package io.tokenrotator.aws;

import io.tokenrotator.errors.AwsRequestRejectedException;
import io.tokenrotator.errors.ThrottledException;
import io.tokenrotator.errors.TokenRotatorException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Step Functions' errors (after the SDK's own retries): the shared rules of {@link AwsErrors};
 * {@code ExecutionLimitExceeded} (too many open executions, API_StartExecution "Errors") waits like throttling;
 * anything else (StateMachineDoesNotExist, InvalidName, InvalidExecutionInput, ...) is rejected as is, with the
 * fix for a missing state machine. ExecutionAlreadyExists and ExecutionDoesNotExist are the caller's business.
 */
public final class StepFunctionsErrors {
    private StepFunctionsErrors() {}

    public static TokenRotatorException translate(SdkException e) {
        return AwsErrors.common("Step Functions", null, e).orElseGet(() -> {
            AwsServiceException s = (AwsServiceException) e;
            String code = AwsErrors.code(s);
            String message = AwsErrors.message(s);
            if ("ExecutionLimitExceeded".equals(code)) {
                return new ThrottledException(null, "Step Functions: " + code + ": " + message);
            }
            if ("StateMachineDoesNotExist".equals(code) || "StateMachineDeleting".equals(code)
                    || "InvalidArn".equals(code)) {
                return new AwsRequestRejectedException("Step Functions", code, message + ". Fix: check the state"
                        + " machine ARN (STATE_MACHINE_ARN, or --state-machine-arn / --stack-name) and the region");
            }
            return new AwsRequestRejectedException("Step Functions", code, message);
        });
    }
}
