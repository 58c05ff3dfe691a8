package io.tokenrotator.cli;

import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.contract.UnreachableTarget;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Renders a run report for a terminal: one line per stack, problems first, then the counts. */
public final class ReportTable {
    private ReportTable() {}

    public static void print(RunReport report, PrintStream out, boolean allStacks) {
        List<StackResult> rows = allStacks ? report.stacks() : report.stacks().stream()
                .filter(r -> r.outcome() != Outcome.ROTATED && r.outcome() != Outcome.SKIPPED).toList();
        int nameWidth = Math.max(5, Math.min(48, rows.stream().mapToInt(r -> r.stackName().length()).max().orElse(5)));
        if (!rows.isEmpty()) {
            out.printf("%-" + nameWidth + "s  %-15s  %-12s  %s%n", "STACK", "OUTCOME", "CONVENTION", "REASON / ACTION");
            for (StackResult r : rows) {
                out.printf("%-" + nameWidth + "s  %-15s  %-12s  %s%n", clip(r.stackName(), nameWidth), r.outcome(),
                        r.convention() == null ? "-" : r.convention(), r.reason() == null ? "" : r.reason());
                if (r.action() != null) {
                    out.printf("%-" + nameWidth + "s  %-15s  %-12s  -> %s%n", "", "", "", r.action());
                }
            }
            out.println();
        }
        if (report.ignoredReason() != null) {
            out.println("Nothing rotated: " + report.ignoredReason());
        }
        for (UnreachableTarget u : report.unreachableTargets()) {
            out.println("UNREACHABLE " + u.target() + ": " + u.reason());
            out.println("  -> " + u.action());
        }
        if (!report.countsByTarget().isEmpty()) {
            int width = report.countsByTarget().keySet().stream().mapToInt(String::length).max().orElse(6);
            out.printf("%-" + width + "s  %s%n", "TARGET", "OUTCOMES");
            report.countsByTarget().forEach((target, byOutcome) -> out.printf("%-" + width + "s  %s%n", target,
                    counts(byOutcome)));
            report.unreachableTargets().forEach(u -> out.printf("%-" + width + "s  %s%n", u.target(),
                    "unreachable: nothing listed, nothing rotated"));
        }
        out.println("Summary: " + counts(report.counts()));
        if (report.stacksOmitted() > 0) {
            out.println(report.stacksOmitted() + " more stack(s) in the full report: " + report.reportLocation());
        }
    }

    private static String counts(Map<Outcome, Integer> byOutcome) {
        StringBuilder counts = new StringBuilder();
        byOutcome.forEach((o, n) -> counts.append(counts.length() == 0 ? "" : "  ").append(o).append(' ').append(n));
        return counts.toString();
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }
}
