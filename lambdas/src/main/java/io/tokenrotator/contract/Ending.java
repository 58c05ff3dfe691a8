package io.tokenrotator.contract;

/**
 * Where a stack's path through the workflow ended: the state machine passes one to Record Result. Each value is
 * the Result of one ending Pass state of statemachine/token-rotator.asl.json (StateMachineDefinitionTest checks
 * that the two lists are the same).
 */
public enum Ending {
    ROTATED, NO_RESOURCE_CHANGE, PHASE1_FAILED, PHASE1_ROLLED_BACK, PHASE1_STUCK, PHASE2_NO_CHANGE, PHASE2_STUCK,
    RESTORE_EXHAUSTED, TIMED_OUT, LOAD_FAILED, STATUS_UNKNOWN, STACK_DELETED, IN_PLACE_NOT_APPLIED
}
