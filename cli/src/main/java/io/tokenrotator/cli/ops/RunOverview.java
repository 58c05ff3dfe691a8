package io.tokenrotator.cli.ops;

import io.tokenrotator.contract.RunReport;

/**
 * What the operator sees of an execution: its status, how many stacks are done of how many, the report (final
 * once the run summarized itself, partial while it runs), for a dry run the plan's summary, and for a failed
 * execution its error and cause.
 */
public record RunOverview(String executionArn, String executionName, String status, int stacksDone, int stacksTotal,
                          RunReport report, boolean finalReport, String dryRunPlan, String error, String cause) {}
