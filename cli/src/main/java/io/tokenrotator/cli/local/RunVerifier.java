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
        return verify(List.of(cfn), secrets, plan, report, newVersionId, outputs);
    }

    /**
     * The same checks over several accounts and regions: {@code targets} are the CloudFormation of each (the first
     * is home), {@code secrets} the home secret's primary (replicas and other accounts see the same version ids). A
     * stack is told apart by its target and name, its target read from its stack ARN
     * ({@code arn:<p>:cloudformation:<region>:<account>:stack/...}; home when there is none).
     */
    public static List<String> verify(List<CloudFormationModel> targets, SecretsManagerModel secrets, Plan plan,
                                      RunReport report, String newVersionId, String... outputs) {
        List<String> problems = new ArrayList<>();
        String parameter = plan.parameterName();
        Map<String, CloudFormationModel> models = new java.util.LinkedHashMap<>();
        targets.forEach(m -> models.put(m.account() + "/" + m.region(), m));
        String home = targets.get(0).account() + "/" + targets.get(0).region();
        boolean many = targets.size() > 1;
        // one target: every stack is home's, whatever its ARN says (as before there were targets)
        java.util.function.UnaryOperator<String> whereOf = many ? id -> where(home, id) : id -> home;
        java.util.function.BinaryOperator<String> keyOf = (id, name) -> whereOf.apply(id) + "/" + name;
        Map<String, Integer> reported = new HashMap<>();
        Map<String, StackResult> byName = new HashMap<>();
        for (StackResult r : report.stacks()) {
            String key = keyOf.apply(r.stackId(), r.stackName());
            reported.merge(key, 1, Integer::sum);
            byName.put(key, r);
        }
        List<String> found = new ArrayList<>(plan.toRotate().stream().map(p -> keyOf.apply(p.stackId(), p.stackName()))
                .toList());
        found.addAll(plan.skipped().stream().map(p -> keyOf.apply(p.stackId(), p.stackName())).toList());
        for (String key : found) {
            int times = reported.getOrDefault(key, 0);
            if (times != 1) {
                problems.add(shown(key, home, many) + " was found but reported " + times + " times");
            }
        }
        if (report.stacks().size() != found.size()) {
            problems.add("the report lists " + report.stacks().size() + " stacks, Find Stacks found " + found.size());
        }
        List<String> live = new ArrayList<>();
        models.forEach((where, m) -> m.liveStackNames().forEach(n -> live.add(where + "/" + n)));
        byName.entrySet().stream().filter(e -> e.getValue().status() != null
                        && e.getValue().outcome() == Outcome.SKIPPED
                        && StatusRules.classify(e.getValue().status()) == StatusClass.DELETED)
                .filter(e -> live.contains(e.getKey()))
                .forEach(e -> problems.add(shown(e.getKey(), home, many) + " is reported deleted but still exists"));
        List<String> acceptable = plan.secret() == null || newVersionId == null ? java.util.Collections.singletonList(newVersionId)
                : secrets.versionsSince(plan.secret().arn(), newVersionId);
        // a nested stack is updated through its root: it is judged by its root's report line
        Map<String, String> rootOf = new HashMap<>();
        for (PlannedStack p : plan.toRotate()) {
            String key = keyOf.apply(p.stackId(), p.stackName());
            CloudFormationModel m = models.get(whereOf.apply(p.stackId()));
            if (m != null && live.contains(key)) {
                String at = whereOf.apply(p.stackId()) + "/";
                m.nestedStackNames(p.stackName()).forEach(n -> rootOf.put(at + n, key));
            }
        }
        for (String key : live) {
            int cut = key.indexOf('/', key.indexOf('/') + 1);
            CloudFormationModel cfn = models.get(key.substring(0, cut));
            String stack = key.substring(cut + 1);
            String name = shown(key, home, many);
            CloudFormationModel.StackState s = cfn.inspect(stack);
            StackResult r = byName.get(rootOf.getOrDefault(key, key));
            if (!s.parameters().containsKey(parameter)) {
                if (s.parameters().containsKey(plan.versionParameterName())) {
                    inPlace(cfn, stack, name, s, r, plan.versionParameterName(), acceptable, newVersionId, problems);
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
                resolvedNewVersion(cfn, stack, name, s, acceptable, newVersionId, problems);
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
    private static void inPlace(CloudFormationModel cfn, String stack, String name, CloudFormationModel.StackState s,
                                StackResult r, String parameter, List<String> acceptable, String newVersionId,
                                List<String> problems) {
        List<String> versions = resolvedVersions(cfn, stack, s);
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
            resolvedNewVersion(cfn, stack, name, s, acceptable, newVersionId, problems);
        }
        explained(name, r, problems);
    }

    /** "account/region" of a stack ARN, {@code home} without one. */
    private static String where(String home, String stackId) {
        String[] arn = stackId == null ? new String[0] : stackId.split(":", 6);
        return arn.length < 6 ? home : arn[4] + "/" + arn[3];
    }

    /** A stack as problems name it: its name alone in a single-target run, else "account/region/name". */
    private static String shown(String key, String home, boolean many) {
        return many ? key : key.substring(home.length() + 1);
    }

    private static void resolvedNewVersion(CloudFormationModel cfn, String stack, String name,
                                           CloudFormationModel.StackState s, List<String> acceptable,
                                           String newVersionId, List<String> problems) {
        List<String> versions = resolvedVersions(cfn, stack, s);
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
