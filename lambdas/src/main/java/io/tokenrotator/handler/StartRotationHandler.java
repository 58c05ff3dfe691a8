package io.tokenrotator.handler;

import io.tokenrotator.wiring.Wiring;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.contract.StartRotationOutput;
import io.tokenrotator.service.StartRotationService;

/**
 * Lambda: the EventBridge rules' target. Environment: STATE_MACHINE_ARN, WATCHED_SECRETS (a JSON list of
 * {"arn", "exact"}). Needs secretsmanager:DescribeSecret on the watched secrets and states:StartExecution on the
 * state machine.
 */
public final class StartRotationHandler extends JsonHandler<JsonNode, StartRotationOutput> {
    private final StartRotationService service;

    /** What the Lambda runtime calls. */
    public StartRotationHandler() {
        this(Wiring.fromEnvironment());
    }

    public StartRotationHandler(Wiring wiring) {
        this(wiring.startRotation());
    }

    public StartRotationHandler(StartRotationService service) {
        super(JsonNode.class);
        this.service = service;
    }

    @Override
    public StartRotationOutput handle(JsonNode event) {
        return service.start(event);
    }

}
