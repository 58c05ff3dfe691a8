package io.tokenrotator.handler;

import io.tokenrotator.wiring.Wiring;
import io.tokenrotator.contract.UpdateStackInput;
import io.tokenrotator.contract.UpdateStackOutput;
import io.tokenrotator.service.UpdateStackService;


/** Lambda: Update Stack (one phase of one stack). Environment: RUN_BUCKET (templates too large for TemplateBody). */
public final class UpdateStackHandler extends JsonHandler<UpdateStackInput, UpdateStackOutput> {
    private final UpdateStackService service;

    /** What the Lambda runtime calls. */
    public UpdateStackHandler() {
        this(Wiring.fromEnvironment());
    }

    public UpdateStackHandler(Wiring wiring) {
        this(wiring.updateStack());
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
