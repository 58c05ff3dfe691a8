package io.tokenrotator.store;

import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.port.RunStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link RunStore} in memory: for tests and local runs, where every handler shares one JVM. */
public final class InMemoryRunStore implements RunStore {
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();

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
}
