package io.tokenrotator.handler;

import io.tokenrotator.contract.Cycle;
import io.tokenrotator.contract.CycleStepInput;
import io.tokenrotator.errors.InvalidInputException;

/** The checks every lifecycle step's input gets before any work. */
final class StepInputs {
    private StepInputs() {}

    static Cycle cycle(CycleStepInput input) {
        Cycle cycle = input.cycle();
        if (cycle == null) {
            throw new InvalidInputException("cycle", "is missing: expected the cycle Begin Cycle returned");
        }
        if (cycle.secretArn() == null || cycle.secretName() == null || cycle.cycleId() == null) {
            throw new InvalidInputException("cycle", "lacks secretArn, secretName or cycleId: expected the cycle"
                    + " Begin Cycle returned");
        }
        return cycle;
    }
}
