package io.tokenrotator.handler;

import io.tokenrotator.wiring.Wiring;
import io.tokenrotator.contract.FindStacksInput;
import io.tokenrotator.contract.FindStacksOutput;
import io.tokenrotator.service.FindStacksService;
import io.tokenrotator.service.InputRules;

/** Lambda: Find Stacks. Environment: RUN_BUCKET, and optional PARAMETER_NAME, STACK_NAME_PREFIX, SELECTION. */
public final class FindStacksHandler extends JsonHandler<FindStacksInput, FindStacksOutput> {
    private final FindStacksService service;
    private final InputRules.Defaults defaults;

    /** What the Lambda runtime calls. */
    public FindStacksHandler() {
        this(Wiring.fromEnvironment());
    }

    public FindStacksHandler(Wiring wiring) {
        this(wiring.findStacks(), wiring.findStacksDefaults());
    }

    public FindStacksHandler(FindStacksService service, InputRules.Defaults defaults) {
        super(FindStacksInput.class);
        this.service = service;
        this.defaults = InputRules.checkDefaults(defaults);
    }

    @Override
    public FindStacksOutput handle(FindStacksInput input) {
        return service.find(input, defaults);
    }
}
