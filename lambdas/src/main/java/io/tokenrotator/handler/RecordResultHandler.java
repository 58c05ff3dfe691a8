package io.tokenrotator.handler;

import io.tokenrotator.wiring.Wiring;
import io.tokenrotator.contract.RecordResultInput;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.service.RunResultsService;


/** Lambda: Record Result: decides and stores one stack's outcome. Releases the run's lease on the stack. Environment: RUN_BUCKET. */
public final class RecordResultHandler extends JsonHandler<RecordResultInput, StackResult> {
    private final RunResultsService service;

    /** What the Lambda runtime calls. */
    public RecordResultHandler() {
        this(Wiring.fromEnvironment());
    }

    public RecordResultHandler(Wiring wiring) {
        this(wiring.runResultsReleasingLeases());
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
