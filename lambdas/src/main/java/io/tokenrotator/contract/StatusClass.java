package io.tokenrotator.contract;

/** A stack status reduced to what the workflow decides on. */
public enum StatusClass {
    /** An operation is running (UPDATE_IN_PROGRESS, ..._CLEANUP_IN_PROGRESS, ...): wait and poll again. */
    IN_PROGRESS,
    /** CREATE_COMPLETE, UPDATE_COMPLETE, IMPORT_COMPLETE: the last operation succeeded. */
    SETTLED,
    /** UPDATE_ROLLBACK_COMPLETE, IMPORT_ROLLBACK_COMPLETE: the last update failed and was undone. */
    ROLLED_BACK,
    /** The stack is gone or stuck (UPDATE_ROLLBACK_FAILED, ROLLBACK_COMPLETE, DELETE_*, ...): a person must act. */
    FAILED
}
