package io.tokenrotator.service;

import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RecordResultInput;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.contract.StackStatusOutput;

/**
 * Turns where a stack's path ended into its report line: outcome, reason and the action a person should take.
 * The one place that decides what FAILED (left as it was) and NEEDS_ATTENTION (possibly at false) mean.
 */
public final class OutcomeRules {
    private OutcomeRules() {}

    /**
     * @param plannedValue the rotation parameter's value when Find Stacks planned the stack: what is known of a stack
     *                     that was never loaded (null when it was)
     */
    public static StackResult decide(RecordResultInput in, String stackName, String stackId, String plannedValue) {
        StackStatusOutput st = in.status();
        String status = st == null ? null : st.status();
        String value = st != null ? st.parameterValue() : in.update() != null ? in.update().previousValue()
                : plannedValue;
        String statusReason = st == null || st.statusReason() == null ? "" : ": " + st.statusReason();
        String error = in.error() == null ? "" : " (" + shortName(in.error().error()) + ": " + in.error().cause() + ")";
        int attempts = in.restore() == null ? 0 : in.restore().attempt();
        String rerun = "Fix the cause, then " + RERUN + ": it restores stacks left at false.";
        return switch (in.ending()) {
            case ROTATED -> result(in, stackName, stackId, Outcome.ROTATED,
                    "re-created its gated resources on the secret's current version"
                            + (attempts > 0 ? " after " + attempts + " restore attempt(s)" : ""),
                    null, status, value);
            case NO_RESOURCE_CHANGE -> result(in, stackName, stackId, Outcome.UNCHANGED,
                    "CloudFormation reported no updates: no resource depends on the rotation parameter, so"
                            + " nothing was re-created", null, status, value);
            case PHASE1_FAILED -> result(in, stackName, stackId, Outcome.FAILED,
                    "phase 1 (false) was refused" + error + "; the stack was not changed",
                    ROTATE_AGAIN, status, value);
            case PHASE1_ROLLED_BACK -> result(in, stackName, stackId, Outcome.FAILED,
                    "phase 1 (false) rolled back" + statusReason + "; the stack is back at true with its resources,"
                            + " still on the old secret value",
                    ROTATE_AGAIN, status, value);
            case PHASE1_STUCK -> attention(in, stackName, stackId, "phase 1 left the stack in " + status + statusReason,
                    repair(status) + ", then " + restoreAction(), status, value);
            case PHASE2_STUCK -> attention(in, stackName, stackId, "phase 2 left the stack in " + status + statusReason
                    + "; RotateToken is " + value + ", so the gated resources may be gone",
                    repair(status) + ", then " + restoreAction(), status, value);
            case PHASE2_NO_CHANGE -> attention(in, stackName, stackId, "CloudFormation reported no updates for"
                    + " RotateToken=true although the value is " + value, restoreAction(), status, value);
            case RESTORE_EXHAUSTED -> attention(in, stackName, stackId, "RotateToken=true did not succeed after "
                    + (attempts + 1) + " attempt(s)" + statusReason + error + "; the stack is at false: its gated"
                    + " resources are deleted", rerun + " Or " + restoreAction(), status, value);
            case TIMED_OUT -> attention(in, stackName, stackId, "still " + status + " after "
                    + (in.settings() == null ? "the" : in.settings().maxPolls() * in.settings().pollSeconds() / 60
                    + " minutes of") + " waiting; RotateToken is " + value,
                    "Wait for the stack to settle, check RotateToken, and " + RERUN + " if it is false.",
                    status, value);
            case STATUS_UNKNOWN -> attention(in, stackName, stackId, "the workflow could not read the stack's status"
                    + error + "; RotateToken may be false", CHECK_THEN_RERUN, status, value);
            case LOAD_FAILED -> "true".equals(value)
                    ? result(in, stackName, stackId, Outcome.FAILED, "the planned stack could not be loaded" + error
                            + "; it was not touched and is at true with its resources, still on the old secret value",
                            ROTATE_AGAIN, status, value)
                    : attention(in, stackName, stackId, "the planned stack could not be loaded" + error + "; the plan"
                            + " found it at RotateToken=" + value + ", so its gated resources may be gone",
                            rerun, status, value);
            case STACK_DELETED -> result(in, stackName, stackId, Outcome.SKIPPED, "the stack was deleted during the run"
                    + " (" + status + "): nothing is left to rotate", null, status, value);
        };
    }

    /** The re-run path: a new attempt for the same secret version (a closed execution's name is taken for 90 days). */
    /** Replaced by the secret's name in the run's report (Summarize knows it; Record Result does not). */
    static final String SECRET_PLACEHOLDER = "<secret>";
    static final String RERUN = "start a new run for the secret (./token-rotator start --secret " + SECRET_PLACEHOLDER
            + " starts a new attempt for the same version)";
    private static final String ROTATE_AGAIN = "Fix the cause named in the reason, then " + RERUN
            + "; add --prefix <the stack's name> to rotate only this stack.";
    static final String CHECK_THEN_RERUN = "Check the stack's status and RotateToken; if it is false, "
            + RERUN + ": it restores stacks left at false.";

    /** What makes a stack stuck in {@code status} updatable again (CloudFormation user guide, stack status codes). */
    static String repair(String status) {
        return switch (status == null ? "" : status) {
            case "UPDATE_ROLLBACK_FAILED" -> "Run ContinueUpdateRollback (skipping the resources that cannot roll back,"
                    + " if it fails again)";
            case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED" -> "Its creation failed, so it can never be"
                    + " updated: delete the stack and create it again";
            case "DELETE_FAILED" -> "Finish the deletion it started (DeleteStack, retaining the resources that fail),"
                    + " or restore the stack by hand";
            case "REVIEW_IN_PROGRESS" -> "Execute or delete the change set it is waiting on";
            default -> "Repair the stack so that it accepts an update (" + status + ")";
        };
    }

    private static String restoreAction() {
        return "update the stack with RotateToken=true (every other parameter: use previous value).";
    }

    private static StackResult attention(RecordResultInput in, String name, String id, String reason, String action,
                                         String status, String value) {
        return result(in, name, id, Outcome.NEEDS_ATTENTION, reason, action, status, value);
    }

    private static StackResult result(RecordResultInput in, String name, String id, Outcome outcome, String reason,
                                      String action, String status, String value) {
        return new StackResult(in.index(), name, id, outcome, reason, action, status, value);
    }

    private static String shortName(String errorType) {
        if (errorType == null) {
            return "error";
        }
        int dot = errorType.lastIndexOf('.');
        return dot < 0 ? errorType : errorType.substring(dot + 1);
    }
}
