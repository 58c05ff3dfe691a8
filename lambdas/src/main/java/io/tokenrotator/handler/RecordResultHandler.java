package io.tokenrotator.handler;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.contract.RecordResultInput;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.RunResultsService;
import io.tokenrotator.store.S3RunStore;
import io.tokenrotator.store.S3StackLeases;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;

/** Lambda: Record Result: decides and stores one stack's outcome. Releases the run's lease on the stack. Environment: RUN_BUCKET. */
public final class RecordResultHandler extends JsonHandler<RecordResultInput, StackResult> {
    private final RunResultsService service;

    public RecordResultHandler() {
        this(AwsClients.fromEnvironment().s3());
    }

    private RecordResultHandler(S3Client s3) {
        this(new RunResultsService(S3RunStore.fromEnvironment(s3, System::getenv),
                new S3StackLeases(s3, S3RunStore.bucket(System::getenv), Clock.systemUTC()), JsonLog.stdout()));
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
