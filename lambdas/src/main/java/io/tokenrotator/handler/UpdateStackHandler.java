package io.tokenrotator.handler;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkCloudFormation;
import io.tokenrotator.contract.UpdateStackInput;
import io.tokenrotator.contract.UpdateStackOutput;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.UpdateStackService;
import io.tokenrotator.store.S3RunStore;
import io.tokenrotator.store.S3StackLeases;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;

/** Lambda: Update Stack (one phase of one stack). Environment: RUN_BUCKET (templates too large for TemplateBody). */
public final class UpdateStackHandler extends JsonHandler<UpdateStackInput, UpdateStackOutput> {
    private final UpdateStackService service;

    public UpdateStackHandler() {
        this(AwsClients.fromEnvironment());
    }

    private UpdateStackHandler(AwsClients clients) {
        this(clients, clients.s3());
    }

    /** One S3 client for the run store and the leases: each client built costs cold-start time. */
    private UpdateStackHandler(AwsClients clients, S3Client s3) {
        this(new UpdateStackService(new SdkCloudFormation(clients.cloudFormation()),
                S3RunStore.fromEnvironment(s3, System::getenv),
                new S3StackLeases(s3, S3RunStore.bucket(System::getenv), Clock.systemUTC()), JsonLog.stdout()));
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
