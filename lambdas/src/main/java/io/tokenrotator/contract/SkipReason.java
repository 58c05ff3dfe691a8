package io.tokenrotator.contract;

/** Why Find Stacks leaves a stack out. */
public enum SkipReason {
    /** A nested stack (ParentId set): updates must start at its root stack. */
    NESTED_STACK,
    /** In a status that can never be updated (ROLLBACK_COMPLETE, UPDATE_ROLLBACK_FAILED, DELETE_*, ...). */
    NOT_UPDATABLE,
    /** The stack name does not start with the requested stackNamePrefix. */
    PREFIX_MISMATCH,
    /** selection=referencing, and the template has no {{resolve:secretsmanager:...}} of this secret. */
    NOT_REFERENCING_SECRET,
    /** The parameter is NoEcho: its value reads as ****, so no phase could be confirmed. */
    PARAMETER_NOECHO,
    /** The stack declares both RotateToken and TokenVersion: which convention it means is not for us to guess. */
    BOTH_CONVENTIONS,
    /** An in-place stack in a run started without a secret: there is no version id to set TokenVersion to. */
    NO_VERSION_FOR_IN_PLACE
}
