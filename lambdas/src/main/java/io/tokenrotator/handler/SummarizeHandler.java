package io.tokenrotator.handler;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.contract.SummarizeInput;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.RunResultsService;
import io.tokenrotator.store.S3RunStore;

/** Lambda: Summarize: the run's report; fails nothing itself, the workflow does. Environment: RUN_BUCKET. */
public final class SummarizeHandler extends JsonHandler<SummarizeInput, RunReport> {
    private final RunResultsService service;

    public SummarizeHandler() {
        this(new RunResultsService(S3RunStore.fromEnvironment(AwsClients.fromEnvironment().s3(), System::getenv),
                JsonLog.stdout()));
    }

    public SummarizeHandler(RunResultsService service) {
        super(SummarizeInput.class);
        this.service = service;
    }

    @Override
    public RunReport handle(SummarizeInput input) {
        return service.summarize(input);
    }
}
