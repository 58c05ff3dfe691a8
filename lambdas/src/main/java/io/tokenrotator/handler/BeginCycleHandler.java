package io.tokenrotator.handler;

import io.tokenrotator.contract.BeginCycleInput;
import io.tokenrotator.contract.Cycle;
import io.tokenrotator.credential.CycleStart;
import io.tokenrotator.wiring.Wiring;

/**
 * Lambda: Begin Cycle, the credential lifecycle's first step: resumes an unfinished cycle or begins a new one
 * (checking the issuer's limit). Environment: RUN_BUCKET, MANAGED_CREDENTIALS.
 */
public final class BeginCycleHandler extends JsonHandler<BeginCycleInput, Cycle> {
    private final CycleStart service;

    /** What the Lambda runtime calls. */
    public BeginCycleHandler() {
        this(Wiring.fromEnvironment());
    }

    public BeginCycleHandler(Wiring wiring) {
        this(wiring.cycleStart());
    }

    public BeginCycleHandler(CycleStart service) {
        super(BeginCycleInput.class);
        this.service = service;
    }

    @Override
    public Cycle handle(BeginCycleInput input) {
        return service.begin(input);
    }
}
