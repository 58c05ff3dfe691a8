package io.tokenrotator.handler;

import io.tokenrotator.wiring.Wiring;
import io.tokenrotator.contract.SummarizeInput;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.service.RunResultsService;

/** Lambda: Summarize: the run's report; fails nothing itself, the workflow does. Environment: RUN_BUCKET. */
public final class SummarizeHandler extends JsonHandler<SummarizeInput, RunReport> {
    private final RunResultsService service;

    /** What the Lambda runtime calls. */
    public SummarizeHandler() {
        this(Wiring.fromEnvironment());
    }

    public SummarizeHandler(Wiring wiring) {
        this(wiring.runResults());
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
