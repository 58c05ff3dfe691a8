package io.tokenrotator.aws;

import io.tokenrotator.port.ExecutionLookup;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

import java.util.Optional;

/** {@link ExecutionLookup} over the SDK v2 Step Functions client. */
public final class SdkExecutionLookup implements ExecutionLookup {
    private final SfnClient client;

    public SdkExecutionLookup(SfnClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> status(String executionArn) {
        try {
            return Optional.of(client.describeExecution(r -> r.executionArn(executionArn)).statusAsString());
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw StepFunctionsErrors.translate(e);
        }
    }
}
