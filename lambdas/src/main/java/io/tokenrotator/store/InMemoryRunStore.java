package io.tokenrotator.store;

import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.port.RunStore;

import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.StackResult;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link RunStore} in memory: for unit tests, and for discovery that stores nothing (the plan command). */
public final class InMemoryRunStore implements RunStore {
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, StackResult>> results = new ConcurrentHashMap<>();
    private final Map<String, RunReport> reports = new ConcurrentHashMap<>();

    @Override
    public String savePlan(Plan plan) {
        plans.put(plan.runId(), plan);
        return "memory://runs/" + plan.runId() + "/plan.json";
    }

    @Override
    public PlannedStack plannedStack(String runId, int index) {
        Plan plan = plan(runId);
        if (index < 0 || index >= plan.toRotate().size()) {
            throw new InvalidInputException("index", index + " is outside the plan of run " + runId + " ("
                    + plan.toRotate().size() + " stacks)");
        }
        return plan.toRotate().get(index);
    }

    @Override
    public Plan plan(String runId) {
        Plan plan = plans.get(runId);
        if (plan == null) {
            throw new InvalidInputException("runId", "'" + runId + "' has no stored plan");
        }
        return plan;
    }

    @Override
    public void saveResult(String runId, StackResult result) {
        results.computeIfAbsent(runId, k -> new ConcurrentHashMap<>()).put(result.index(), result);
    }

    @Override
    public List<StackResult> results(String runId) {
        return results.getOrDefault(runId, Map.of()).values().stream()
                .sorted(Comparator.comparingInt(StackResult::index)).toList();
    }

    @Override
    public String saveReport(RunReport report) {
        reports.put(report.runId(), report);
        return "memory://runs/" + report.runId() + "/report.json";
    }

    /** The full report of a run, as saved. */
    public RunReport report(String runId) {
        return reports.get(runId);
    }
}
