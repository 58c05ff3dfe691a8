package io.tokenrotator.cli.local;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.contract.CredentialRecord;
import io.tokenrotator.contract.CycleRequest;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;
import io.tokenrotator.store.S3CredentialRecords;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One execution of the credential lifecycle in a {@link LocalEnvironment} that manages the credential, and what the
 * simulator says about it afterwards: the credential's record, the rotation the cycle ran (verified by
 * {@link RunVerifier}) and the lifecycle's own invariants ({@link CredentialVerifier}: no consumer ever on an
 * inactive or deleted key, at most two keys, no secret part anywhere).
 */
public record LocalCycle(ExecutionResult execution, CredentialRecord record, RunReport rotation,
                         List<String> problems) {
    /** Rotation runs a lifecycle waits for are done by then; this bounds a broken one. */
    private static final Duration BACKGROUND_TIMEOUT = Duration.ofMinutes(5);

    public static LocalCycle run(LocalEnvironment env, String executionName, CycleRequest request, String userName) {
        ExecutionResult execution = env.runLifecycle(executionName, request);
        env.awaitBackgroundExecutions(BACKGROUND_TIMEOUT);
        S3CredentialRecords records = new S3CredentialRecords(
                AwsClients.local(env.simulator.endpoint(), env.timeScale).s3(), LocalEnvironment.RUN_BUCKET);
        String secretName = env.secrets.describeOrThrow(request.secretId()).name();
        CredentialRecord record = records.load(secretName).orElse(null);
        List<String> problems = new ArrayList<>();
        RunReport rotation = null;
        String rotationName = record == null || record.cycle() == null ? null : record.cycle().rotationExecution();
        if (rotationName != null && !Boolean.TRUE.equals(request.dryRun())) {
            Optional<Plan> plan = read(() -> env.store.plan(rotationName));
            rotation = read(() -> env.store.report(rotationName)).orElse(null);
            if (plan.isPresent() && rotation != null) {
                problems.addAll(RunVerifier.verify(env.cloudFormation, env.secrets, plan.get(), rotation,
                        record.cycle().newVersionId(), Json.write(rotation), env.logs()));
            }
        }
        problems.addAll(CredentialVerifier.verify(env.iam, List.of(userName), Json.write(execution),
                Json.write(record), env.logs()));
        return new LocalCycle(execution, record, rotation, problems);
    }

    private static <T> Optional<T> read(java.util.function.Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (InvalidInputException nothingStored) {
            return Optional.empty();
        }
    }
}
