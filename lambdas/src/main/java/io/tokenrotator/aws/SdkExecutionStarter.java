package io.tokenrotator.aws;

import io.tokenrotator.port.ExecutionStarter;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/** {@link ExecutionStarter} over the SDK v2 Step Functions client. */
public final class SdkExecutionStarter implements ExecutionStarter {
    private final SfnClient client;
    private final String stateMachineArn;

    public SdkExecutionStarter(SfnClient client, String stateMachineArn) {
        this.client = client;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public Started start(String name, String inputJson) {
        try {
            client.startExecution(r -> r.stateMachineArn(stateMachineArn).name(name).input(inputJson));
            return Started.STARTED;
        } catch (ExecutionAlreadyExistsException e) {
            return Started.ALREADY_EXISTS;
        } catch (SdkException e) {
            throw StepFunctionsErrors.translate(e);
        }
    }
}
