package io.tokenrotator.service;

import io.tokenrotator.contract.StatusClass;

import java.util.Set;

/** What a CloudFormation stack status means for a rotation (AWS-FACTS: which statuses can be updated). */
public final class StatusRules {
    private static final Set<String> SETTLED = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE");
    private static final Set<String> ROLLED_BACK = Set.of("UPDATE_ROLLBACK_COMPLETE", "IMPORT_ROLLBACK_COMPLETE");

    private StatusRules() {}

    public static StatusClass classify(String status) {
        if (SETTLED.contains(status)) {
            return StatusClass.SETTLED;
        }
        if (ROLLED_BACK.contains(status)) {
            return StatusClass.ROLLED_BACK;
        }
        // REVIEW_IN_PROGRESS is a stack whose first change set never ran: it will not progress by itself.
        if (status.endsWith("_IN_PROGRESS") && !status.equals("REVIEW_IN_PROGRESS")
                && !status.startsWith("DELETE_")) {
            return StatusClass.IN_PROGRESS;
        }
        return StatusClass.FAILED;
    }

    /** True for statuses no update will ever be accepted in (waiting does not help). */
    public static boolean neverUpdatable(String status) {
        return classify(status) == StatusClass.FAILED;
    }
}
