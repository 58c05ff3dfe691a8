package io.tokenrotator.handler;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.contract.RecordResultInput;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.RunResultsService;
import io.tokenrotator.store.S3RunStore;

/** Lambda: Record Result: decides and stores one stack's outcome. Environment: RUN_BUCKET. */
public final class RecordResultHandler extends JsonHandler<RecordResultInput, StackResult> {
    private final RunResultsService service;

    public RecordResultHandler() {
        this(new RunResultsService(S3RunStore.fromEnvironment(AwsClients.fromEnvironment().s3(), System::getenv),
                JsonLog.stdout()));
    }

    public RecordResultHandler(RunResultsService service) {
        super(RecordResultInput.class);
        this.service = service;
    }

    @Override
    public StackResult handle(RecordResultInput input) {
        return service.record(input);
    }
}
