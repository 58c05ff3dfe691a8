package io.tokenrotator.cli.local;

import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.contract.StatusClass;
import io.tokenrotator.service.StatusRules;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.SecretsManagerModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a finished run against what the simulator says really happened, not against what the workflow claims:
 * every found stack is reported exactly once; no stack is at RotateToken=false unless it is reported
 * NEEDS_ATTENTION; every ROTATED stack is at true (in place: TokenVersion at the new version) with its resources
 * resolved on the new secret version (or a newer one, when the secret changed again during the run); an in-place
 * stack always keeps its resources; every FAILED stack is at true; a stack reported deleted
 * is gone; every problem has a reason and an action; no secret value appears anywhere.
 */
public final class RunVerifier {
    private RunVerifier() {}

    public static List<String> verify(CloudFormationModel cfn, SecretsManagerModel secrets, Plan plan, RunReport report,
                                      String newVersionId, String... outputs) {
        List<String> problems = new ArrayList<>();
        String parameter = plan.parameterName();
        Map<String, Integer> reported = new HashMap<>();
        Map<String, StackResult> byName = new HashMap<>();
        for (StackResult r : report.stacks()) {
            reported.merge(r.stackName(), 1, Integer::sum);
            byName.put(r.stackName(), r);
        }
        List<String> found = new ArrayList<>(plan.toRotate().stream().map(PlannedStack::stackName).toList());
        found.addAll(plan.skipped().stream().map(SkippedStack::stackName).toList());
        for (String name : found) {
            int times = reported.getOrDefault(name, 0);
            if (times != 1) {
                problems.add(name + " was found but reported " + times + " times");
            }
        }
        if (report.stacks().size() != found.size()) {
            problems.add("the report lists " + report.stacks().size() + " stacks, Find Stacks found " + found.size());
        }
        List<String> live = cfn.liveStackNames();
        byName.values().stream().filter(r -> r.status() != null && r.outcome() == Outcome.SKIPPED
                        && StatusRules.classify(r.status()) == StatusClass.DELETED)
                .filter(r -> live.contains(r.stackName()))
                .forEach(r -> problems.add(r.stackName() + " is reported deleted but still exists"));
        List<String> acceptable = plan.secret() == null || newVersionId == null ? java.util.Collections.singletonList(newVersionId)
                : secrets.versionsSince(plan.secret().arn(), newVersionId);
        // a nested stack is updated through its root: it is judged by its root's report line
        Map<String, String> rootOf = new HashMap<>();
        for (PlannedStack p : plan.toRotate()) {
            if (live.contains(p.stackName())) {
                cfn.nestedStackNames(p.stackName()).forEach(n -> rootOf.put(n, p.stackName()));
            }
        }
        for (String name : live) {
            CloudFormationModel.StackState s = cfn.inspect(name);
            StackResult r = byName.get(rootOf.getOrDefault(name, name));
            if (!s.parameters().containsKey(parameter)) {
                if (s.parameters().containsKey(plan.versionParameterName())) {
                    inPlace(cfn, name, s, r, plan.versionParameterName(), acceptable, newVersionId, problems);
                }
                continue;
            }
            String value = s.parameters().get(parameter);
            if ("false".equals(value) && (r == null || r.outcome() != Outcome.NEEDS_ATTENTION)) {
                problems.add(name + " is at " + parameter + "=false but is reported "
                        + (r == null ? "nowhere" : r.outcome().toString()));
            }
            if (r == null) {
                continue;
            }
            if (r.outcome() == Outcome.ROTATED) {
                if (!"true".equals(value) || !s.status().equals("UPDATE_COMPLETE")) {
                    problems.add(name + " is reported ROTATED but is " + s.status() + " with " + parameter + "=" + value);
                }
                resolvedNewVersion(cfn, name, s, acceptable, newVersionId, problems);
            }
            if (r.outcome() == Outcome.FAILED && !"true".equals(value)) {
                problems.add(name + " is reported FAILED (left as it was) but is at " + parameter + "=" + value);
            }
            explained(name, r, problems);
        }
        Set<String> values = Set.copyOf(secrets.allValuesForLeakChecks());
        for (String output : outputs) {
            for (String value : values) {
                if (output != null && output.contains(value)) {
                    problems.add("a secret value appears in the run's output or logs");
                }
            }
        }
        return problems;
    }

    /**
     * An in-place stack (TokenVersion): never without its resources; ROTATED means settled with the parameter on a
     * version of this run or newer and every resource resolved one of those versions.
     */
    private static void inPlace(CloudFormationModel cfn, String name, CloudFormationModel.StackState s, StackResult r,
                                String parameter, List<String> acceptable, String newVersionId, List<String> problems) {
        List<String> versions = resolvedVersions(cfn, name, s);
        if (versions.isEmpty()) {
            problems.add(name + " is an in-place stack without its secret-holding resources");
        }
        if (r == null) {
            return;
        }
        String value = s.parameters().get(parameter);
        if (r.outcome() == Outcome.ROTATED) {
            if (!acceptable.contains(value) || !s.status().equals("UPDATE_COMPLETE")) {
                problems.add(name + " is reported ROTATED but is " + s.status() + " with " + parameter + "=" + value);
            }
            resolvedNewVersion(cfn, name, s, acceptable, newVersionId, problems);
        }
        explained(name, r, problems);
    }

    private static void resolvedNewVersion(CloudFormationModel cfn, String name, CloudFormationModel.StackState s,
                                           List<String> acceptable, String newVersionId, List<String> problems) {
        List<String> versions = resolvedVersions(cfn, name, s);
        if (versions.isEmpty() || !acceptable.containsAll(versions)) {
            problems.add(name + " is reported ROTATED but its resources resolved " + versions + ", not "
                    + newVersionId + (acceptable.size() > 1 ? " or a newer version" : ""));
        }
    }

    /** The secret versions the stack's resources (and its nested stacks') resolved when they were last updated. */
    private static List<String> resolvedVersions(CloudFormationModel cfn, String name, CloudFormationModel.StackState s) {
        List<String> versions = new ArrayList<>(s.resources().values().stream()
                .flatMap(res -> res.secretVersions().stream()).toList());
        for (String nested : cfn.nestedStackNames(name)) {
            cfn.inspect(nested).resources().values().forEach(res -> versions.addAll(res.secretVersions()));
        }
        return versions;
    }

    private static void explained(String name, StackResult r, List<String> problems) {
        if ((r.outcome() == Outcome.FAILED || r.outcome() == Outcome.NEEDS_ATTENTION)
                && (blank(r.reason()) || blank(r.action()))) {
            problems.add(name + " is reported " + r.outcome() + " without a reason and an action");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
