package io.tokenrotator.store;

import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.SkipReason;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.errors.InvalidInputException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3RunStoreTest {
    /** An S3 bucket in memory behind the SDK's own S3Client interface. */
    static final class FakeS3 implements S3Client {
        final Map<String, byte[]> objects = new TreeMap<>();

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            try (var in = body.contentStreamProvider().newStream()) {
                objects.put(request.bucket() + "/" + request.key(), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return PutObjectResponse.builder().build();
        }

        @Override
        public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
            byte[] bytes = objects.get(request.bucket() + "/" + request.key());
            if (bytes == null) {
                throw NoSuchKeyException.builder().message("The specified key does not exist.").build();
            }
            try {
                return transformer.transform(GetObjectResponse.builder().build(),
                        AbortableInputStream.create(new ByteArrayInputStream(bytes)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest request) {
            return getObject(request, ResponseTransformer.toBytes());
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    private final FakeS3 s3 = new FakeS3();
    private final S3RunStore store = new S3RunStore(s3, "runs-bucket");

    private static Plan plan(int stacks) {
        List<PlannedStack> planned = IntStream.range(0, stacks).mapToObj(i -> new PlannedStack(i, "app-" + i,
                "arn:aws:cloudformation:us-east-1:123456789012:stack/app-" + i + "/x", "UPDATE_COMPLETE", "true")).toList();
        return new Plan("exec-1", "RotateToken", null, null, planned,
                List.of(new SkippedStack("nested", "id", SkipReason.NESTED_STACK, "nested in root", "true")));
    }

    @Test
    void storesThePlanAndChunksOfAHundredStacks() {
        String location = store.savePlan(plan(250));

        assertThat(location).isEqualTo("s3://runs-bucket/runs/exec-1/plan.json");
        assertThat(s3.objects.keySet()).containsExactly(
                "runs-bucket/runs/exec-1/plan-items/00000.json",
                "runs-bucket/runs/exec-1/plan-items/00001.json",
                "runs-bucket/runs/exec-1/plan-items/00002.json",
                "runs-bucket/runs/exec-1/plan.json");
        assertThat(store.plan("exec-1")).isEqualTo(plan(250));
    }

    @Test
    void readsAnyPlannedStackByItsIndex() {
        store.savePlan(plan(250));

        assertThat(store.plannedStack("exec-1", 0).stackName()).isEqualTo("app-0");
        assertThat(store.plannedStack("exec-1", 99).stackName()).isEqualTo("app-99");
        assertThat(store.plannedStack("exec-1", 100).stackName()).isEqualTo("app-100");
        assertThat(store.plannedStack("exec-1", 249).stackName()).isEqualTo("app-249");
    }

    @Test
    void anIndexOrRunThatWasNeverPlannedIsClearInvalidInput() {
        store.savePlan(plan(5));

        assertThatThrownBy(() -> store.plannedStack("exec-1", 5)).isExactlyInstanceOf(InvalidInputException.class)
                .hasMessageContaining("index");
        assertThatThrownBy(() -> store.plannedStack("exec-1", 300)).isExactlyInstanceOf(InvalidInputException.class)
                .hasMessageContaining("index");
        assertThatThrownBy(() -> store.plan("exec-9")).isExactlyInstanceOf(InvalidInputException.class)
                .hasMessageContaining("runId").hasMessageContaining("exec-9");
    }

    @Test
    void aMissingBucketVariableIsNamed() {
        assertThatThrownBy(() -> S3RunStore.fromEnvironment(s3, k -> null)).hasMessageContaining("RUN_BUCKET");
    }
}
