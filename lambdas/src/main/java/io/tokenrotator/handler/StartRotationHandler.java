package io.tokenrotator.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkExecutionStarter;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.contract.StartRotationOutput;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.StartRotationService;
import io.tokenrotator.service.WatchedSecrets;

/**
 * Lambda: the EventBridge rules' target. Environment: STATE_MACHINE_ARN, WATCHED_SECRETS (a JSON list of
 * {"arn", "exact"}). Needs secretsmanager:DescribeSecret on the watched secrets and states:StartExecution on the
 * state machine.
 */
public final class StartRotationHandler extends JsonHandler<JsonNode, StartRotationOutput> {
    private final StartRotationService service;

    public StartRotationHandler() {
        this(AwsClients.fromEnvironment(), requiredEnv("STATE_MACHINE_ARN"));
    }

    private StartRotationHandler(AwsClients clients, String stateMachineArn) {
        this(new StartRotationService(new SdkSecrets(clients.secretsManager()),
                new SdkExecutionStarter(clients.stepFunctions(), stateMachineArn),
                WatchedSecrets.fromEnvironment(System::getenv), JsonLog.stdout()));
    }

    public StartRotationHandler(StartRotationService service) {
        super(JsonNode.class);
        this.service = service;
    }

    @Override
    public StartRotationOutput handle(JsonNode event) {
        return service.start(event);
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}
