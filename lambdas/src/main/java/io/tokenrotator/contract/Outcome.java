package io.tokenrotator.contract;

/** What happened to one stack in a run. */
public enum Outcome {
    /** Both phases completed: the gated resources were re-created and resolved the current secret version. */
    ROTATED,
    /** Nothing to re-create: CloudFormation reported no updates (the parameter gates no resource). */
    UNCHANGED,
    /** Found but left out by Find Stacks (nested, not updatable, prefix, not referencing the secret, NoEcho). */
    SKIPPED,
    /** Not rotated, but left as it was: RotateToken=true with its resources, on the old secret value. */
    FAILED,
    /** Possibly left at RotateToken=false or stuck: a person must act. The action says what to do. */
    NEEDS_ATTENTION
}
