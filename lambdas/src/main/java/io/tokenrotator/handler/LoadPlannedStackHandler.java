package io.tokenrotator.handler;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.contract.LoadPlannedStackInput;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.RunResultsService;
import io.tokenrotator.store.S3RunStore;

/** Lambda: Load Planned Stack: the stack at one index of the run's plan. Environment: RUN_BUCKET. */
public final class LoadPlannedStackHandler extends JsonHandler<LoadPlannedStackInput, PlannedStack> {
    private final RunResultsService service;

    public LoadPlannedStackHandler() {
        this(new RunResultsService(S3RunStore.fromEnvironment(AwsClients.fromEnvironment().s3(), System::getenv),
                JsonLog.stdout()));
    }

    public LoadPlannedStackHandler(RunResultsService service) {
        super(LoadPlannedStackInput.class);
        this.service = service;
    }

    @Override
    public PlannedStack handle(LoadPlannedStackInput input) {
        return service.load(input);
    }
}
