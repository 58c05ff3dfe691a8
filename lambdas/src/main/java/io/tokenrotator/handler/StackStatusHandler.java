package io.tokenrotator.handler;

import io.tokenrotator.wiring.Wiring;
import io.tokenrotator.contract.StackStatusInput;
import io.tokenrotator.contract.StackStatusOutput;
import io.tokenrotator.service.StackStatusService;

/** Lambda: Stack Status. */
public final class StackStatusHandler extends JsonHandler<StackStatusInput, StackStatusOutput> {
    private final StackStatusService service;

    /** What the Lambda runtime calls. */
    public StackStatusHandler() {
        this(Wiring.fromEnvironment());
    }

    public StackStatusHandler(Wiring wiring) {
        this(wiring.stackStatus());
    }

    public StackStatusHandler(StackStatusService service) {
        super(StackStatusInput.class);
        this.service = service;
    }

    @Override
    public StackStatusOutput handle(StackStatusInput input) {
        return service.status(input);
    }
}
