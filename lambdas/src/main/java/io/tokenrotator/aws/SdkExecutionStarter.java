package io.tokenrotator.aws;

import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.service.ExecutionNames;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

import java.util.Optional;

/** {@link ExecutionStarter} over the SDK v2 Step Functions client, for one state machine. */
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

    @Override
    public Optional<String> status(String name) {
        try {
            return Optional.of(client.describeExecution(r -> r.executionArn(executionArn(name))).statusAsString());
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw StepFunctionsErrors.translate(e);
        }
    }

    public String executionArn(String name) {
        return ExecutionNames.executionArn(stateMachineArn, name);
    }
}
