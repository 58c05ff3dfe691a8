package io.tokenrotator.acceptance;

import io.tokenrotator.cli.ReportTable;
import io.tokenrotator.cli.ops.RunOverview;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What an acceptance run did and found: its steps, the execution's report, one verdict per consumer, and the
 * cleanup. It passes when every step succeeded, every consumer passed, and nothing was left behind.
 */
public final class AcceptanceReport {
    public record Step(String title, boolean ok, Duration took, String detail) {}

    public record Cleanup(String what, boolean ok, String detail) {}

    private final RunNames names;
    private final List<Step> steps = new ArrayList<>();
    private final List<ConsumerVerdict> verdicts = new ArrayList<>();
    private final List<Cleanup> cleanup = new ArrayList<>();
    private String where = "";
    private RunOverview execution;
    private boolean kept;

    public AcceptanceReport(RunNames names) {
        this.names = names;
    }

    void where(String accountAndRegion) {
        this.where = accountAndRegion;
    }

    void step(Step step) {
        steps.add(step);
    }

    void execution(RunOverview overview) {
        this.execution = overview;
    }

    void verdict(ConsumerVerdict verdict) {
        verdicts.add(verdict);
    }

    void cleanup(Cleanup item) {
        cleanup.add(item);
    }

    void kept() {
        this.kept = true;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public List<ConsumerVerdict> verdicts() {
        return List.copyOf(verdicts);
    }

    public List<Cleanup> cleanupItems() {
        return List.copyOf(cleanup);
    }

    public boolean checksPassed() {
        return !steps.isEmpty() && steps.stream().allMatch(Step::ok)
                && verdicts.size() == Consumer.values().length && verdicts.stream().allMatch(ConsumerVerdict::passed);
    }

    public boolean passed() {
        return checksPassed() && !kept && cleanup.stream().allMatch(Cleanup::ok);
    }

    public void print(PrintStream out) {
        Duration total = steps.stream().map(Step::took).reduce(Duration.ZERO, Duration::plus);
        out.printf("%nAcceptance run %s%s: %s (%s)%n", names.runId(), where,
                passed() ? "PASSED" : checksPassed() ? "CHECKS PASSED, CLEANUP INCOMPLETE" : "FAILED", Durations.text(total));
        out.println();
        for (Step s : steps) {
            out.printf("  %-4s %-72s %10s%n", s.ok() ? "ok" : "FAIL", s.title(), Durations.text(s.took()));
            if (s.detail() != null) {
                out.println("       " + s.detail());
            }
        }
        if (execution != null) {
            out.printf("%nExecution %s: %s%n", execution.executionName(), execution.status());
            if (execution.error() != null) {
                out.println("Error: " + execution.error() + (execution.cause() == null ? "" : ": " + execution.cause()));
            }
            if (execution.report() != null) {
                ReportTable.print(execution.report(), out, true);
            }
        }
        if (!verdicts.isEmpty()) {
            out.println();
            for (ConsumerVerdict v : verdicts) {
                out.printf("  %-4s %s  (%s)%n", v.passed() ? "PASS" : "FAIL", v.stackName(), v.consumer().kind());
                v.problems().forEach(p -> out.println("       - " + p));
                v.evidence().forEach(e -> out.println("       " + e));
            }
        }
        out.println();
        if (kept) {
            out.println("Kept everything (--keep). Delete it with: acceptance/run --cleanup " + names.runId());
        }
        printCleanup(cleanup, names, out);
    }

    /** The cleanup lines, and what to do if something was left behind. */
    public static void printCleanup(List<Cleanup> items, RunNames names, PrintStream out) {
        for (Cleanup c : items) {
            out.printf("  %-4s %s%s%n", c.ok() ? "ok" : "LEFT", c.what(), c.detail() == null ? "" : ": " + c.detail());
        }
        if (!items.stream().allMatch(Cleanup::ok)) {
            out.println("Something was left behind: fix the cause above, then run acceptance/run --cleanup " + names.runId());
        }
    }
}
