package io.tokenrotator.cli.local;

import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;
import io.tokenrotator.service.ExecutionNames;

import java.util.List;
import java.util.Map;

/**
 * One rotation in a {@link LocalEnvironment}: the execution named as the automatic trigger names it, then the
 * plan and full report from the run store, verified against the simulator by {@link RunVerifier}.
 */
public record LocalRotation(ExecutionResult execution, Plan plan, RunReport report, List<String> problems,
                            Map<String, Long> apiCalls, Map<String, Long> throttled, Map<String, Long> handlerErrors) {

    public static LocalRotation run(LocalEnvironment env, RotationRequest request, String newVersionId,
                                    ProgressListener progress) {
        String name = request.secretId() == null ? "local-manual-run" : ExecutionNames.forSecretVersion(
                env.secrets.describeOrThrow(request.secretId()).name(), request.secretId(), String.valueOf(newVersionId));
        return run(env, name, request, newVersionId, progress);
    }

    /** Runs an execution with any input (a map, for inputs no record can express) and verifies it. */
    public static LocalRotation run(LocalEnvironment env, String name, Object input, String newVersionId,
                                    ProgressListener progress) {
        ExecutionResult execution = env.run(name, input, progress);
        Plan plan = null;
        RunReport report = null;
        try {
            plan = env.store.plan(name);
            report = env.store.report(name);
        } catch (InvalidInputException noPlan) {
            // the execution ended before Find Stacks stored a plan (e.g. invalid input): nothing to verify
        }
        List<String> problems = plan == null || report == null ? List.of()
                : RunVerifier.verify(env.allCloudFormation(), env.secrets, plan, report, newVersionId,
                Json.write(execution), Json.write(report), env.logs());
        return new LocalRotation(execution, plan, report, problems, env.simulator.callCounts(),
                env.simulator.throttledCounts(), env.lambdas.errorCounts());
    }
}
