package io.tokenrotator.handler;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkCloudFormation;
import io.tokenrotator.contract.UpdateStackInput;
import io.tokenrotator.contract.UpdateStackOutput;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.UpdateStackService;

/** Lambda: Update Stack (one phase of one stack). */
public final class UpdateStackHandler extends JsonHandler<UpdateStackInput, UpdateStackOutput> {
    private final UpdateStackService service;

    public UpdateStackHandler() {
        this(new UpdateStackService(new SdkCloudFormation(AwsClients.fromEnvironment().cloudFormation()),
                JsonLog.stdout()));
    }

    public UpdateStackHandler(UpdateStackService service) {
        super(UpdateStackInput.class);
        this.service = service;
    }

    @Override
    public UpdateStackOutput handle(UpdateStackInput input) {
        return service.update(input);
    }
}
