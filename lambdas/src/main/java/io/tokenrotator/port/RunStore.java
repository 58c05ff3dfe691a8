package io.tokenrotator.port;

import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.SecretSummary;
import io.tokenrotator.contract.StackResult;

import java.util.List;

/**
 * Where a run keeps what does not fit in a Step Functions payload: the plan Find Stacks made, one result per
 * stack, and the final report. S3 in AWS and in local runs ({@link io.tokenrotator.store.S3RunStore}); memory in
 * unit tests and for the plan command, which stores nothing.
 */
public interface RunStore {
    /** Stores the plan; returns where it is, for people (an s3:// or memory:// location). */
    String savePlan(Plan plan);

    /** The planned stack at {@code index}, as listed in the Find Stacks items. */
    PlannedStack plannedStack(String runId, int index);

    Plan plan(String runId);

    /** The run's secret and version (null without a secret): small, for checks made per stack. */
    default SecretSummary secret(String runId) {
        return plan(runId).secret();
    }

    void saveResult(String runId, StackResult result);

    /** Every result recorded for the run, in index order. */
    List<StackResult> results(String runId);

    /** Stores the full report; returns where it is. */
    String saveReport(RunReport report);
}
