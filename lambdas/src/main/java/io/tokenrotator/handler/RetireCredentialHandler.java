package io.tokenrotator.handler;

import io.tokenrotator.contract.Cycle;
import io.tokenrotator.contract.CycleStepInput;
import io.tokenrotator.credential.Retirement;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.wiring.Wiring;

/**
 * Lambda: Retire Credential, three steps: {@code checkLastUse}, {@code deactivate}, {@code delete}. Environment:
 * RUN_BUCKET, MANAGED_CREDENTIALS.
 */
public final class RetireCredentialHandler extends JsonHandler<CycleStepInput, Cycle> {
    private final Retirement service;

    /** What the Lambda runtime calls. */
    public RetireCredentialHandler() {
        this(Wiring.fromEnvironment());
    }

    public RetireCredentialHandler(Wiring wiring) {
        this(wiring.retirement());
    }

    public RetireCredentialHandler(Retirement service) {
        super(CycleStepInput.class);
        this.service = service;
    }

    @Override
    public Cycle handle(CycleStepInput input) {
        Cycle cycle = StepInputs.cycle(input);
        return switch (String.valueOf(input.step())) {
            case "checkLastUse" -> service.checkLastUse(cycle);
            case "deactivate" -> service.deactivate(cycle);
            case "delete" -> service.delete(cycle);
            default -> throw new InvalidInputException("step", "expected checkLastUse, deactivate or delete, got "
                    + input.step());
        };
    }
}
