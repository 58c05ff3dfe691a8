package io.tokenrotator.contract;

/** Where a stack's path through the workflow ended: the state machine passes one to Record Result. */
public enum Ending {
    ROTATED, NO_RESOURCE_CHANGE, PHASE1_FAILED, PHASE1_ROLLED_BACK, PHASE1_STUCK, PHASE2_ALREADY_TRUE,
    PHASE2_NO_CHANGE, PHASE2_STUCK, RESTORE_EXHAUSTED, TIMED_OUT, LOAD_FAILED, STATUS_UNKNOWN
}
