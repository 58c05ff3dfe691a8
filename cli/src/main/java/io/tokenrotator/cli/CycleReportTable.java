package io.tokenrotator.cli;

import io.tokenrotator.cli.ops.CredentialCycles;
import io.tokenrotator.contract.CredentialRecord;
import io.tokenrotator.contract.Cycle;

import java.io.PrintStream;

/** Renders a credential's latest cycle for a terminal: its stages with times, its keys now, what blocks it. */
final class CycleReportTable {
    private CycleReportTable() {}

    static void print(CredentialCycles.CycleReport r, PrintStream out) {
        out.printf("Credential %s (IAM user %s), secret %s%n", r.secretName(), r.userName(), r.secretArn());
        Cycle c = r.cycle();
        if (c == null) {
            out.println("No cycle recorded yet.");
            return;
        }
        out.printf("Cycle %s: %s, started %s by %s%n", c.cycleId(), c.stage(), c.startedAt(), c.executionId());
        if (c.message() != null) {
            out.println("Message: " + c.message());
        }
        out.println();
        out.printf("%-12s  %-24s  %s%n", "STAGE", "AT", "DETAIL");
        for (CredentialRecord.Event e : r.stages()) {
            out.printf("%-12s  %-24s  %s%n", e.stage(), e.at(), e.detail() == null ? "" : e.detail());
        }
        out.println();
        out.printf("%-8s  %-22s  %s%n", "KEY", "ACCESS KEY ID", "STATE NOW");
        for (CredentialCycles.KeyState k : r.keys()) {
            out.printf("%-8s  %-22s  %s%n", k.role(), k.accessKeyId(), k.state());
        }
        out.println();
        out.println("Rotation: " + (c.rotationExecution() == null ? "not started" : c.rotationExecution()));
        if (c.cutoverAt() != null) {
            out.println("Cut-over: " + c.cutoverAt() + " (every consumer on the new version)");
        }
        if (c.quietSince() != null && !c.quietSince().equals(c.cutoverAt())) {
            out.println("Quiet period restarted: " + c.quietSince() + " (the old key must not be used after it)");
        }
        if (c.deactivatedAt() != null) {
            out.println("Old key deactivated: " + c.deactivatedAt());
        }
        if (!c.blocking().isEmpty()) {
            out.println("Blocking stacks (the old key stays active until they are on the new version):");
            c.blocking().forEach(b -> out.println("  " + b));
        }
    }
}
