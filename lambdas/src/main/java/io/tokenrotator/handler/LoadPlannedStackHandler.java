package io.tokenrotator.handler;

import io.tokenrotator.wiring.Wiring;
import io.tokenrotator.contract.LoadPlannedStackInput;
import io.tokenrotator.contract.LoadedStack;
import io.tokenrotator.service.RunResultsService;

/** Lambda: Load Planned Stack: the stack at one index of the run's plan. Environment: RUN_BUCKET. */
public final class LoadPlannedStackHandler extends JsonHandler<LoadPlannedStackInput, LoadedStack> {
    private final RunResultsService service;

    /** What the Lambda runtime calls. */
    public LoadPlannedStackHandler() {
        this(Wiring.fromEnvironment());
    }

    public LoadPlannedStackHandler(Wiring wiring) {
        this(wiring.runResults());
    }

    public LoadPlannedStackHandler(RunResultsService service) {
        super(LoadPlannedStackInput.class);
        this.service = service;
    }

    @Override
    public LoadedStack handle(LoadPlannedStackInput input) {
        return service.load(input);
    }
}
