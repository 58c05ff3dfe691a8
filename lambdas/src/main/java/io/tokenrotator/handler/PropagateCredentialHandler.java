package io.tokenrotator.handler;

import io.tokenrotator.contract.Cycle;
import io.tokenrotator.contract.CycleStepInput;
import io.tokenrotator.credential.Propagation;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.wiring.Wiring;

/**
 * Lambda: Propagate Credential, two steps: {@code start} (the rotation of the new version) and {@code check} (its
 * end, then the gate). Environment: RUN_BUCKET, MANAGED_CREDENTIALS, STATE_MACHINE_ARN (the rotation),
 * PROPAGATION_POLL_SECONDS.
 */
public final class PropagateCredentialHandler extends JsonHandler<CycleStepInput, Cycle> {
    private final Propagation service;

    /** What the Lambda runtime calls. */
    public PropagateCredentialHandler() {
        this(Wiring.fromEnvironment());
    }

    public PropagateCredentialHandler(Wiring wiring) {
        this(wiring.propagation());
    }

    public PropagateCredentialHandler(Propagation service) {
        super(CycleStepInput.class);
        this.service = service;
    }

    @Override
    public Cycle handle(CycleStepInput input) {
        Cycle cycle = StepInputs.cycle(input);
        return switch (String.valueOf(input.step())) {
            case "start" -> service.start(cycle);
            case "check" -> service.check(cycle);
            default -> throw new InvalidInputException("step", "expected start or check, got " + input.step());
        };
    }
}
