package io.tokenrotator.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tokenrotator.aws.S3Errors;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.SecretSummary;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;
import io.tokenrotator.port.RunStore;
import io.tokenrotator.port.TemplateStore;
import io.tokenrotator.service.Hashes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link RunStore} in S3, under {@code runs/<runId>/}: {@code plan.json} (the whole plan, for people and the
 * report) and {@code plan-items/NNNNN.json}, chunks of {@value #CHUNK} planned stacks, so that each per-stack
 * child execution reads a few kilobytes instead of the whole plan; {@code results/NNNNN.json}, one per stack,
 * written by its child execution; and {@code report.json}, the full report. Also the {@link TemplateStore}:
 * {@code templates/<runId>/<hash of the stack id>.json}, addressed by the bucket's regional virtual-hosted URL.
 */
public final class S3RunStore implements RunStore, TemplateStore {
    static final int CHUNK = 100;
    private final S3Client s3;
    private final String bucket;

    public S3RunStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The environment variable that names the run bucket (the construct sets it). */
    public static final String BUCKET_VARIABLE = "RUN_BUCKET";

    public static S3RunStore fromEnvironment(S3Client s3, Function<String, String> env) {
        return new S3RunStore(s3, bucket(env));
    }

    /** The run bucket named by {@value #BUCKET_VARIABLE}. */
    public static String bucket(Function<String, String> env) {
        String bucket = env.apply(BUCKET_VARIABLE);
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException("environment variable " + BUCKET_VARIABLE + " is not set: it names the S3 bucket"
                    + " where runs keep their plans, results and stack leases");
        }
        return bucket;
    }

    @Override
    public String savePlan(Plan plan) {
        String prefix = "runs/" + plan.runId() + "/";
        put(prefix + "plan.json", Json.write(plan));
        if (plan.secret() != null) {
            put(prefix + "secret.json", Json.write(plan.secret()));
        }
        List<PlannedStack> stacks = plan.toRotate();
        for (int from = 0; from < stacks.size(); from += CHUNK) {
            put(prefix + chunkKey(from / CHUNK), Json.write(stacks.subList(from, Math.min(stacks.size(), from + CHUNK))));
        }
        return "s3://" + bucket + "/" + prefix + "plan.json";
    }

    @Override
    public PlannedStack plannedStack(String runId, int index) {
        if (index < 0) {
            throw new InvalidInputException("index", "must not be negative, got " + index);
        }
        String json = get("runs/" + runId + "/" + chunkKey(index / CHUNK), "index", index + " of run " + runId);
        List<PlannedStack> chunk = parse(json, new TypeReference<>() { });
        int offset = index % CHUNK;
        if (offset >= chunk.size()) {
            throw new InvalidInputException("index", index + " is outside the plan of run " + runId);
        }
        return chunk.get(offset);
    }

    @Override
    public Plan plan(String runId) {
        return parse(get("runs/" + runId + "/plan.json", "runId", runId), new TypeReference<>() { });
    }

    @Override
    public SecretSummary secret(String runId) {
        try {
            return parse(call(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("runs/" + runId + "/secret.json"))
                    .asUtf8String()), new TypeReference<>() { });
        } catch (NoSuchKeyException noSecret) {
            return null; // a run started without a secret
        }
    }

    @Override
    public void saveResult(String runId, StackResult result) {
        put("runs/" + runId + "/" + String.format("results/%05d.json", result.index()), Json.write(result));
    }

    @Override
    public List<StackResult> results(String runId) {
        String prefix = "runs/" + runId + "/results/";
        List<String> keys = call(() -> s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()
                .stream().map(S3Object::key).toList());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<StackResult>> reads = new ArrayList<>();
            for (String key : keys) {
                reads.add(pool.submit(() -> parse(get(key, "runId", runId), new TypeReference<StackResult>() { })));
            }
            List<StackResult> out = new ArrayList<>();
            for (Future<StackResult> read : reads) {
                out.add(read.get());
            }
            out.sort(Comparator.comparingInt(StackResult::index));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the results of run " + runId, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public String saveReport(RunReport report) {
        String key = "runs/" + report.runId() + "/report.json";
        put(key, Json.write(report));
        return "s3://" + bucket + "/" + key;
    }

    /** The full report Summarize stored. */
    public RunReport report(String runId) {
        return parse(get("runs/" + runId + "/report.json", "runId", runId), new TypeReference<>() { });
    }

    @Override
    public String upload(String runId, String stackId, String templateBody) {
        String key = "templates/" + runId + "/" + Hashes.sha256Hex(stackId, 20) + ".json";
        put(key, templateBody);
        return "https://" + bucket + ".s3." + s3.serviceClientConfiguration().region().id() + ".amazonaws.com/" + key;
    }

    static String chunkKey(int chunk) {
        return String.format("plan-items/%05d.json", chunk);
    }

    private void put(String key, String json) {
        call(() -> s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString(json)));
    }

    private String get(String key, String field, String what) {
        try {
            return call(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
        } catch (NoSuchKeyException e) {
            throw new InvalidInputException(field, "'" + what + "' has nothing stored at s3://" + bucket + "/" + key);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (NoSuchKeyException e) {
            throw e;
        } catch (SdkException e) {
            throw S3Errors.translate(e);
        }
    }
}
