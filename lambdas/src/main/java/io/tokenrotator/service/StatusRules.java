package io.tokenrotator.service;

import io.tokenrotator.contract.StatusClass;

import java.util.Set;

/** What a CloudFormation stack status means for a rotation (AWS-FACTS: which statuses can be updated). */
public final class StatusRules {
    /** What Stack Status reports when DescribeStacks no longer finds the stack. */
    public static final String DOES_NOT_EXIST = "DOES_NOT_EXIST";
    private static final Set<String> SETTLED = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE");
    // UPDATE_FAILED (an update run with DisableRollback failed) "can be updated again or rolled back" (AWS-FACTS)
    private static final Set<String> ROLLED_BACK = Set.of("UPDATE_ROLLBACK_COMPLETE", "IMPORT_ROLLBACK_COMPLETE",
            "UPDATE_FAILED");
    private static final Set<String> DELETED = Set.of("DELETE_IN_PROGRESS", "DELETE_COMPLETE", DOES_NOT_EXIST);

    private StatusRules() {}

    public static StatusClass classify(String status) {
        if (SETTLED.contains(status)) {
            return StatusClass.SETTLED;
        }
        if (ROLLED_BACK.contains(status)) {
            return StatusClass.ROLLED_BACK;
        }
        if (DELETED.contains(status)) {
            return StatusClass.DELETED;
        }
        // REVIEW_IN_PROGRESS is a stack whose first change set never ran: it will not progress by itself.
        if (status.endsWith("_IN_PROGRESS") && !status.equals("REVIEW_IN_PROGRESS")) {
            return StatusClass.IN_PROGRESS;
        }
        return StatusClass.FAILED;
    }

    /** True for statuses no update will ever be accepted in (waiting does not help). */
    public static boolean neverUpdatable(String status) {
        StatusClass c = classify(status);
        return c == StatusClass.FAILED || c == StatusClass.DELETED;
    }
}
