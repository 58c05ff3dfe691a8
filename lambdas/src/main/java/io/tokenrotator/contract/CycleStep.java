package io.tokenrotator.contract;

/** What the lifecycle workflow does next: the value its Choice states route on. */
public enum CycleStep {
    CREATE, PROPAGATE, CHECK_PROPAGATION, BLOCKED, RETIRE, IN_USE, DEACTIVATE, DELETE, REACTIVATED, DONE, STOP
}
