package io.tokenrotator.contract;

/** A stack status reduced to what the workflow decides on. */
public enum StatusClass {
    /** An operation is running (UPDATE_IN_PROGRESS, ..._CLEANUP_IN_PROGRESS, ...): wait and poll again. */
    IN_PROGRESS,
    /** CREATE_COMPLETE, UPDATE_COMPLETE, IMPORT_COMPLETE: the last operation succeeded. */
    SETTLED,
    /**
     * UPDATE_ROLLBACK_COMPLETE, IMPORT_ROLLBACK_COMPLETE: the last update failed and was undone; UPDATE_FAILED: an
     * update with rollback disabled failed. All of them accept a new update.
     */
    ROLLED_BACK,
    /** The stack is stuck (UPDATE_ROLLBACK_FAILED, ROLLBACK_COMPLETE, REVIEW_IN_PROGRESS, ...): a person must act. */
    FAILED,
    /** The stack is being deleted or is gone (DELETE_IN_PROGRESS, DELETE_COMPLETE, or DescribeStacks no longer finds it). */
    DELETED
}
