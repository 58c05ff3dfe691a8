package io.tokenrotator.handler;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkCloudFormation;
import io.tokenrotator.contract.StackStatusInput;
import io.tokenrotator.contract.StackStatusOutput;
import io.tokenrotator.service.StackStatusService;

/** Lambda: Stack Status. */
public final class StackStatusHandler extends JsonHandler<StackStatusInput, StackStatusOutput> {
    private final StackStatusService service;

    public StackStatusHandler() {
        this(new StackStatusService(new SdkCloudFormation(AwsClients.fromEnvironment().cloudFormation())));
    }

    public StackStatusHandler(StackStatusService service) {
        super(StackStatusInput.class);
        this.service = service;
    }

    @Override
    public StackStatusOutput handle(StackStatusInput input) {
        return service.status(input);
    }
}
