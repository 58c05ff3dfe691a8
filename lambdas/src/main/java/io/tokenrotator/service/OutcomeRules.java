package io.tokenrotator.service;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.Ending;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RecordResultInput;
import io.tokenrotator.contract.StackResult;

/**
 * Turns where a stack's path ended into its report line: outcome, reason and the action a person should take.
 * The one place that decides what FAILED (left as it was) and NEEDS_ATTENTION (possibly at false, or stuck) mean,
 * for each convention ({@link Convention}).
 */
public final class OutcomeRules {
    private OutcomeRules() {}

    /**
     * @param planned what Find Stacks planned for the stack: its name, id, convention, parameter and the value it had
     *                then (all that is known of a stack that was never loaded)
     */
    public static StackResult decide(RecordResultInput in, PlannedStack planned) {
        Convention convention = in.convention() != null ? in.convention() : planned.convention();
        String parameter = in.parameterName() != null ? in.parameterName() : planned.parameterName();
        Line line = new Line(in, planned.stackName(), planned.stackId(), convention);
        return convention == Convention.IN_PLACE ? inPlace(in, line, parameter, planned)
                : rotateToken(in, line, parameter == null ? InputRules.DEFAULT_PARAMETER : parameter,
                        planned.parameterValue());
    }

    /** The two-phase convention: from phase 1 on the stack may be at false, without its gated resources. */
    private static StackResult rotateToken(RecordResultInput in, Line line, String parameter, String plannedValue) {
        String status = line.status();
        String value = line.value(plannedValue);
        String statusReason = statusReason(in);
        String error = error(in);
        int attempts = in.restore() == null ? 0 : in.restore().attempt();
        String restore = "update the stack with " + parameter + "=true (every other parameter: use previous value).";
        String rerun = "Fix the cause, then " + RERUN + ": it restores stacks left at false.";
        return switch (in.ending()) {
            case ROTATED -> line.of(Outcome.ROTATED, "re-created its gated resources on the secret's current version"
                    + (attempts > 0 ? " after " + attempts + " restore attempt(s)" : ""), null, value);
            case NO_RESOURCE_CHANGE -> line.of(Outcome.UNCHANGED, "CloudFormation reported no updates: no resource"
                    + " depends on " + parameter + ", so nothing was re-created", null, value);
            case PHASE1_FAILED -> line.of(Outcome.FAILED, "phase 1 (false) was refused" + error
                    + "; the stack was not changed", ROTATE_AGAIN, value);
            case PHASE1_ROLLED_BACK -> line.of(Outcome.FAILED, "phase 1 (false) rolled back" + statusReason
                    + "; the stack is back at true with its resources, still on the old secret value", ROTATE_AGAIN,
                    value);
            case PHASE1_STUCK -> line.of(Outcome.NEEDS_ATTENTION, "phase 1 left the stack in " + status + statusReason,
                    repair(status) + ", then " + restore, value);
            case PHASE2_STUCK -> line.of(Outcome.NEEDS_ATTENTION, "phase 2 left the stack in " + status + statusReason
                    + "; " + parameter + " is " + value + ", so the gated resources may be gone",
                    repair(status) + ", then " + restore, value);
            case PHASE2_NO_CHANGE -> line.of(Outcome.NEEDS_ATTENTION, "CloudFormation reported no updates for "
                    + parameter + "=true although the value is " + value, restore, value);
            case RESTORE_EXHAUSTED -> line.of(Outcome.NEEDS_ATTENTION, parameter + "=true did not succeed after "
                    + (attempts + 1) + " attempt(s)" + statusReason + error + "; the stack is at false: its gated"
                    + " resources are deleted", rerun + " Or " + restore, value);
            case TIMED_OUT -> line.of(Outcome.NEEDS_ATTENTION, "still " + status + " after " + waited(in)
                    + " waiting; " + parameter + " is " + value, "Wait for the stack to settle, check " + parameter
                    + ", and " + RERUN + " if it is false.", value);
            case STATUS_UNKNOWN -> line.of(Outcome.NEEDS_ATTENTION, "the workflow could not read the stack's status"
                    + error + "; " + parameter + " may be false", CHECK_THEN_RERUN, value);
            case LOAD_FAILED -> "true".equals(value)
                    ? line.of(Outcome.FAILED, "the planned stack could not be loaded" + error + "; it was not touched"
                            + " and is at true with its resources, still on the old secret value", ROTATE_AGAIN, value)
                    : line.of(Outcome.NEEDS_ATTENTION, "the planned stack could not be loaded" + error + "; the plan"
                            + " found it at " + parameter + "=" + value + ", so its gated resources may be gone",
                            rerun, value);
            case STACK_DELETED -> deleted(line, value);
            case IN_PLACE_NOT_APPLIED -> throw new IllegalArgumentException("ending IN_PLACE_NOT_APPLIED is for an"
                    + " in-place stack, and " + line.name() + " follows the RotateToken convention");
        };
    }

    /**
     * The in-place convention: one update of the version parameter; nothing is ever deleted, so a stack that did not
     * take the new value keeps its resources on the old one: FAILED, unless CloudFormation left it stuck.
     */
    private static StackResult inPlace(RecordResultInput in, Line line, String parameter, PlannedStack planned) {
        String status = line.status();
        String value = line.value(planned.parameterValue());
        String target = in.target() != null ? in.target() : planned.target();
        String unchanged = "; nothing was deleted: its resources keep the old secret value";
        return switch (in.ending()) {
            case ROTATED -> line.of(Outcome.ROTATED, "updated its resources in place (" + parameter + "=" + target
                    + "): they re-resolved the secret's current version", null, value);
            case PHASE2_NO_CHANGE -> line.of(Outcome.FAILED, "CloudFormation reported no updates for " + parameter + "="
                    + target + " although it is " + value + ": no resource property uses " + parameter + unchanged,
                    "Use " + parameter + " in a property of each resource that holds the secret (README, \"Consumer"
                            + " stacks\"), then " + RERUN + ".", value);
            case PHASE2_STUCK -> line.of(Outcome.NEEDS_ATTENTION, "the update left the stack in " + status
                    + statusReason(in) + "; its resources may be partly updated", repair(status) + ", then " + RERUN
                    + ".", value);
            case IN_PLACE_NOT_APPLIED -> line.of(Outcome.FAILED, "the update to " + parameter + "=" + target
                    + " did not succeed" + statusReason(in) + error(in) + unchanged, ROTATE_AGAIN, value);
            case TIMED_OUT -> line.of(Outcome.NEEDS_ATTENTION, "still " + status + " after " + waited(in)
                    + " waiting; " + parameter + " is " + value, "Wait for the stack to settle; if " + parameter
                    + " is not " + target + " then, " + RERUN + ".", value);
            case STATUS_UNKNOWN, LOAD_FAILED -> line.of(Outcome.FAILED, (in.ending() == Ending.LOAD_FAILED
                    ? "the planned stack could not be loaded" : "the workflow could not read the stack's status")
                    + error(in) + unchanged + " or the new one", "Check " + parameter + " on the stack; if it is not "
                    + target + ", " + RERUN + ".", value);
            case STACK_DELETED -> deleted(line, value);
            case NO_RESOURCE_CHANGE, PHASE1_FAILED, PHASE1_ROLLED_BACK, PHASE1_STUCK, RESTORE_EXHAUSTED ->
                    throw new IllegalArgumentException("ending " + in.ending() + " is of the RotateToken convention's"
                            + " phase 1 or restore loop, and " + line.name() + " is an in-place stack");
        };
    }

    private static StackResult deleted(Line line, String value) {
        return line.of(Outcome.SKIPPED, "the stack was deleted during the run (" + line.status() + "): nothing is left"
                + " to rotate", null, value);
    }

    /** What one report line is about: the stack, what the workflow last saw, its convention. */
    private record Line(RecordResultInput in, String name, String id, Convention convention) {
        String status() {
            return in.status() == null ? null : in.status().status();
        }

        /** The parameter's last known value: read with the status, else before the update, else as planned. */
        String value(String plannedValue) {
            return in.status() != null ? in.status().parameterValue()
                    : in.update() != null ? in.update().previousValue() : plannedValue;
        }

        StackResult of(Outcome outcome, String reason, String action, String value) {
            return new StackResult(in.index(), name, id, outcome, reason, action, status(), value, convention);
        }
    }

    private static String statusReason(RecordResultInput in) {
        return in.status() == null || in.status().statusReason() == null ? "" : ": " + in.status().statusReason();
    }

    private static String error(RecordResultInput in) {
        return in.error() == null ? "" : " (" + shortName(in.error().error()) + ": " + in.error().cause() + ")";
    }

    private static String waited(RecordResultInput in) {
        return in.settings() == null ? "the"
                : in.settings().maxPolls() * in.settings().pollSeconds() / 60 + " minutes of";
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

    private static String shortName(String errorType) {
        if (errorType == null) {
            return "error";
        }
        int dot = errorType.lastIndexOf('.');
        return dot < 0 ? errorType : errorType.substring(dot + 1);
    }
}
