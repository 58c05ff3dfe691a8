package io.tokenrotator.handler;

import io.tokenrotator.contract.Cycle;
import io.tokenrotator.credential.CycleStart;
import io.tokenrotator.wiring.Wiring;

/**
 * Lambda: Create Credential: creates the new credential, waits until it works and stores it in the secret, in one
 * invocation (its secret part never leaves it). Environment: RUN_BUCKET, MANAGED_CREDENTIALS.
 */
public final class CreateCredentialHandler extends JsonHandler<Cycle, Cycle> {
    private final CycleStart service;

    /** What the Lambda runtime calls. */
    public CreateCredentialHandler() {
        this(Wiring.fromEnvironment());
    }

    public CreateCredentialHandler(Wiring wiring) {
        this(wiring.cycleStart());
    }

    public CreateCredentialHandler(CycleStart service) {
        super(Cycle.class);
        this.service = service;
    }

    @Override
    public Cycle handle(Cycle cycle) {
        return service.create(cycle);
    }
}
