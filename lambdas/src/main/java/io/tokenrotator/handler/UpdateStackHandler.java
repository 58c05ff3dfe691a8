package io.tokenrotator.handler;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkCloudFormation;
import io.tokenrotator.contract.UpdateStackInput;
import io.tokenrotator.contract.UpdateStackOutput;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.UpdateStackService;
import io.tokenrotator.store.S3RunStore;

/** Lambda: Update Stack (one phase of one stack). Environment: RUN_BUCKET (templates too large for TemplateBody). */
public final class UpdateStackHandler extends JsonHandler<UpdateStackInput, UpdateStackOutput> {
    private final UpdateStackService service;

    public UpdateStackHandler() {
        this(AwsClients.fromEnvironment());
    }

    private UpdateStackHandler(AwsClients clients) {
        this(new UpdateStackService(new SdkCloudFormation(clients.cloudFormation()),
                S3RunStore.fromEnvironment(clients.s3(), System::getenv), JsonLog.stdout()));
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
