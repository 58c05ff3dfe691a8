package io.tokenrotator.service;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.LoadPlannedStackInput;
import io.tokenrotator.contract.LoadedStack;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RecordResultInput;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.SkipReason;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.contract.UnreachableTarget;
import io.tokenrotator.target.Targets;
import io.tokenrotator.contract.SummarizeInput;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.RunStore;
import io.tokenrotator.port.StackLeases;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's bookkeeping: hands each per-stack execution its stack, records how each one ended, and summarizes the
 * run. Summarize checks that every planned stack has a result: one without (its execution failed or was stopped)
 * is reported NEEDS_ATTENTION, so no stack drops out of the report silently.
 */
public final class RunResultsService {
    /** Room kept for the report's per-stack list within Step Functions' 256 KiB payload limit. */
    static final int STACK_LIST_BUDGET_BYTES = 160 * 1024;
    static final int CAUSE_LIMIT_CHARS = 30_000;
    private static final List<Outcome> REPORT_ORDER = List.of(Outcome.NEEDS_ATTENTION, Outcome.FAILED,
            Outcome.UNCHANGED, Outcome.SKIPPED, Outcome.ROTATED);

    private final RunStore store;
    private final StackLeases leases;
    private final JsonLog log;
    private final Clock clock;

    /** For the read-only uses: loading planned stacks and summarizing. {@link #record} needs the leases. */
    public RunResultsService(RunStore store, JsonLog log) {
        this(store, null, log);
    }

    public RunResultsService(RunStore store, StackLeases leases, JsonLog log) {
        this(store, leases, log, Clock.systemUTC());
    }

    /** {@code clock} tells Load Planned Stack how long a stack still waits for its start slot. */
    public RunResultsService(RunStore store, StackLeases leases, JsonLog log, Clock clock) {
        this.store = store;
        this.leases = leases;
        this.log = log;
        this.clock = clock;
    }

    /** The planned stack at the input's index, the points its updates are sent at and until when to wait for them. */
    public LoadedStack load(LoadPlannedStackInput input) {
        InputRules.load(input);
        PlannedStack planned = store.plannedStack(input.runId(), input.index());
        StartSlots.Points points = StartSlots.points(planned, clock.instant());
        return new LoadedStack(planned.index(), planned.stackName(), planned.stackId(), planned.status(),
                planned.parameterValue(), planned.convention(), planned.parameterName(), planned.target(),
                points.slot().toString(), points.target().toString(), points.lateSlot().toString(),
                points.lateTarget().toString(), StartSlots.waitUntil(points.slot()).toString());
    }

    public StackResult record(RecordResultInput input) {
        if (leases == null) {
            throw new IllegalStateException("Record Result needs the stack leases to release this run's lease");
        }
        InputRules.record(input);
        String runId = input.runId();
        StackResult result;
        if (input.stack() != null) {
            result = OutcomeRules.decide(input, new PlannedStack(input.index(), input.stack().stackName(),
                    input.stack().stackId(), null, null, input.convention(), input.parameterName(), input.target()));
        } else { // never loaded: what the plan found is all there is to go on
            result = OutcomeRules.decide(input, store.plannedStack(runId, input.index()));
        }
        store.saveResult(runId, result);
        if (result.stackId() != null) {
            leases.release(result.stackId(), runId);
        }
        log.info("stack finished", "runId", runId, "stack", result.stackName(), "outcome", result.outcome(),
                "reason", result.reason(), "status", result.status(), "parameterValue", result.parameterValue());
        return result;
    }

    /** Summarize: compiles the report, stores the full one, returns the one sized for the payload limit. */
    public RunReport summarize(SummarizeInput input) {
        String runId = InputRules.runId(input == null ? null : input.runId());
        RunReport full = compile(store.plan(runId), store.results(runId), true);
        String location = store.saveReport(full);
        List<StackResult> shown = withinBudget(full.stacks());
        RunReport report = new RunReport(runId, full.parameterName(), full.secret(), full.ignoredReason(), full.counts(),
                shown, full.stacks().size() - shown.size(), location, full.failed(),
                full.failed() ? cause(full.stacks(), full.unreachableTargets(), location) : null,
                full.countsByTarget(), full.unreachableTargets());
        log.info("run finished", "runId", runId, "counts", full.counts(), "report", location);
        return report;
    }

    /**
     * The report of a plan and the results recorded so far. When {@code finished}, a planned stack without a result
     * is NEEDS_ATTENTION (its execution failed or was stopped); while the run goes on, it is simply not listed yet.
     */
    public static RunReport compile(Plan plan, List<StackResult> results, boolean finished) {
        String runId = plan.runId();
        Map<Integer, StackResult> byIndex = new HashMap<>();
        List<StackResult> all = new ArrayList<>();
        results.forEach(r -> byIndex.put(r.index(), r));
        for (PlannedStack p : plan.toRotate()) {
            StackResult recorded = byIndex.get(p.index());
            if (recorded != null) {
                all.add(recorded);
            } else if (finished) {
                all.add(new StackResult(p.index(), p.stackName(), p.stackId(), Outcome.NEEDS_ATTENTION,
                        "no result was recorded: its per-stack execution failed or was stopped",
                        OutcomeRules.CHECK_THEN_RERUN, null, p.parameterValue(), p.convention()));
            }
        }
        for (SkippedStack s : plan.skipped()) {
            all.add(skipped(s));
        }
        if (plan.secret() != null) { // the re-run action names this run's secret
            all.replaceAll(r -> r.action() == null ? r : new StackResult(r.index(), r.stackName(), r.stackId(),
                    r.outcome(), r.reason(), r.action().replace(OutcomeRules.SECRET_PLACEHOLDER, plan.secret().name()),
                    r.status(), r.parameterValue(), r.convention()));
        }
        all.sort(Comparator.comparingInt((StackResult r) -> REPORT_ORDER.indexOf(r.outcome()))
                .thenComparing(StackResult::stackName));
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        all.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        boolean failed = counts.get(Outcome.FAILED) + counts.get(Outcome.NEEDS_ATTENTION) > 0
                || !plan.unreachableTargets().isEmpty();
        return new RunReport(runId, plan.parameterName(), plan.secret(), plan.ignoredReason(), counts, all, 0, null,
                failed, null, countsByTarget(all, plan), plan.unreachableTargets());
    }

    /**
     * Each target's outcome counts ({@code <account>/<region>} of the stack ARNs), when the run covered more than
     * one target or could not reach one; empty for a single account and region.
     */
    private static Map<String, Map<Outcome, Integer>> countsByTarget(List<StackResult> all, Plan plan) {
        Map<String, Map<Outcome, Integer>> byTarget = new TreeMap<>();
        for (StackResult r : all) {
            String target = Targets.idOf(r.stackId()).orElse("unknown");
            byTarget.computeIfAbsent(target, t -> new EnumMap<>(Outcome.class)).merge(r.outcome(), 1, Integer::sum);
        }
        return byTarget.size() > 1 || !plan.unreachableTargets().isEmpty() ? byTarget : Map.of();
    }

    /**
     * A skipped stack is SKIPPED, except one that can never be updated and sits at "false": its gated resources
     * are gone and no run can restore it, so it needs a person.
     */
    private static StackResult skipped(SkippedStack s) {
        if (s.reason() == SkipReason.NOT_UPDATABLE && "false".equals(s.parameterValue())) {
            return new StackResult(-1, s.stackName(), s.stackId(), Outcome.NEEDS_ATTENTION, "it is at RotateToken=false"
                    + " (its gated resources are deleted) and " + s.detail(), OutcomeRules.repair(s.status()) + ", then "
                    + OutcomeRules.RERUN + ": it restores stacks left at false.", s.status(), "false",
                    Convention.ROTATE_TOKEN);
        }
        return new StackResult(-1, s.stackName(), s.stackId(), Outcome.SKIPPED, s.reason() + ": " + s.detail(), null,
                null, s.parameterValue(), null);
    }

    private static List<StackResult> withinBudget(List<StackResult> all) {
        List<StackResult> shown = new ArrayList<>();
        int bytes = 0;
        for (StackResult r : all) {
            bytes += Json.write(r).getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes > STACK_LIST_BUDGET_BYTES) {
                break;
            }
            shown.add(r);
        }
        return shown;
    }

    private static String cause(List<StackResult> all, List<UnreachableTarget> unreachable, String location) {
        List<StackResult> problems = all.stream()
                .filter(r -> r.outcome() == Outcome.FAILED || r.outcome() == Outcome.NEEDS_ATTENTION).toList();
        StringBuilder sb = new StringBuilder();
        for (UnreachableTarget u : unreachable) {
            sb.append("target ").append(u.target()).append(" unreachable: ").append(u.reason()).append("; ")
                    .append(u.action()).append(". ");
        }
        long attention = problems.stream().filter(r -> r.outcome() == Outcome.NEEDS_ATTENTION).count();
        sb.append(attention).append(" stack(s) NEED ATTENTION, ").append(problems.size() - attention)
                .append(" FAILED. Full report: ").append(location).append('\n');
        int listed = 0;
        for (StackResult r : problems) {
            String line = r.outcome() + " " + r.stackName() + ": " + r.reason() + " Action: " + r.action() + '\n';
            if (sb.length() + line.length() > CAUSE_LIMIT_CHARS - 100) {
                sb.append("... and ").append(problems.size() - listed).append(" more in the full report\n");
                break;
            }
            sb.append(line);
            listed++;
        }
        return sb.toString();
    }
}
