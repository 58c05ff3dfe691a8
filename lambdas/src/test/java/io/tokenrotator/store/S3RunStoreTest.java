package io.tokenrotator.store;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.SkipReason;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.errors.AccessDeniedException;
import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.testing.SimulatedAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production store through the SDK's S3 client, over HTTP to the simulated S3. */
class S3RunStoreTest {
    private static final String BUCKET = "runs-bucket";
    private final SimulatedAws aws = new SimulatedAws();
    private final S3RunStore store;

    S3RunStoreTest() {
        aws.cloudFormation.s3().createBucket(BUCKET);
        store = new S3RunStore(aws.s3Client, BUCKET);
    }

    @AfterEach
    void close() {
        aws.close();
    }

    private static Plan plan(int stacks) {
        List<PlannedStack> planned = IntStream.range(0, stacks).mapToObj(i -> new PlannedStack(i, "app-" + i,
                "arn:aws:cloudformation:us-east-1:123456789012:stack/app-" + i + "/x", "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN, "RotateToken", "true")).toList();
        return new Plan("exec-1", "RotateToken", "TokenVersion", null, null, planned,
                List.of(new SkippedStack("nested", "id", SkipReason.NESTED_STACK, "nested in root", "true",
                        "CREATE_COMPLETE")));
    }

    private List<String> keys() {
        return aws.s3Client.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    @Test
    void storesThePlanAndChunksOfAHundredStacks() {
        String location = store.savePlan(plan(250));

        assertThat(location).isEqualTo("s3://runs-bucket/runs/exec-1/plan.json");
        assertThat(keys()).containsExactly(
                "runs/exec-1/plan-items/00000.json",
                "runs/exec-1/plan-items/00001.json",
                "runs/exec-1/plan-items/00002.json",
                "runs/exec-1/plan.json");
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
    void withoutListBucketAMissingPlanIsAccessDeniedNotAnInputError() {
        aws.iam.add(new IamModel.Principal("ASIAREADONLY", "arn:aws:sts::123456789012:assumed-role/r/s", List.of(
                new IamModel.Statement(List.of("s3:GetObject"), List.of("arn:aws:s3:::" + BUCKET + "/runs/*")))));
        S3RunStore reader = new S3RunStore(aws.clients.as("ASIAREADONLY").s3(), BUCKET);

        // why the readers of the plan are granted s3:ListBucket (RotatorFunction)
        assertThatThrownBy(() -> reader.plan("exec-9")).isExactlyInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("S3 refused");
    }

    @Test
    void resultsAndTheReportRoundTrip() {
        store.savePlan(plan(3));
        for (int i = 2; i >= 0; i--) {
            store.saveResult("exec-1", new StackResult(i, "app-" + i, "id-" + i, Outcome.ROTATED, "done", null, null,
                    "true", Convention.ROTATE_TOKEN));
        }
        RunReport report = new RunReport("exec-1", "RotateToken", null, null, Map.of(Outcome.ROTATED, 3), List.of(),
                0, null, false, null);

        assertThat(store.results("exec-1")).extracting(StackResult::index).containsExactly(0, 1, 2);
        assertThat(store.saveReport(report)).isEqualTo("s3://runs-bucket/runs/exec-1/report.json");
        assertThat(store.report("exec-1")).isEqualTo(report);
    }

    @Test
    void aTemplateIsUploadedUnderTemplatesAndAddressedByTheBucketsRegionalUrl() {
        String template = "{\"Transform\": \"AWS::LanguageExtensions\", \"Resources\": {}}";

        String url = store.upload("exec-1", "arn:aws:cloudformation:us-east-1:123456789012:stack/app/x", template);

        assertThat(url).matches("https://runs-bucket\\.s3\\.us-east-1\\.amazonaws\\.com/templates/exec-1/[0-9a-f]{20}\\.json");
        String key = url.substring(url.indexOf("/templates/") + 1);
        assertThat(new String(aws.cloudFormation.s3().inspect(BUCKET, key).orElseThrow().body(), StandardCharsets.UTF_8))
                .isEqualTo(template);
        assertThat(store.upload("exec-1", "arn:aws:cloudformation:us-east-1:123456789012:stack/other/y", template))
                .isNotEqualTo(url);
    }

    @Test
    void aMissingBucketVariableIsNamed() {
        assertThatThrownBy(() -> S3RunStore.fromEnvironment(aws.s3Client, k -> null)).hasMessageContaining("RUN_BUCKET");
    }
}
