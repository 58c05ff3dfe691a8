package io.tokenrotator.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.json.Json;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.settings.Setting;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.simulator.ConsumerTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A StartExecution through the simulator (as Start Rotation or the lifecycle's Propagate Credential makes it) runs
 * the real rotation workflow in the background, and DescribeExecution reports how it ended. Time runs 60x.
 */
class BackgroundExecutionTest {
    private static final String SECRET = "prod/api-token";
    private static final DeploymentSettings SETTINGS = DeploymentSettings.of(Map.of(Setting.MAX_CONCURRENCY, 10,
            Setting.POLL_SECONDS, 20));
    private final LocalEnvironment env = new LocalEnvironment(60, new InputRules.Defaults(SETTINGS));
    private final SfnClient stepFunctions = AwsClients.local(env.simulator.endpoint(), 60).stepFunctions();
    private final String secretArn = env.secrets.createSecret(SECRET, "s3cr3t-value-one");

    @AfterEach
    void close() {
        env.close();
    }

    private String start(String name, Object input) {
        return stepFunctions.startExecution(b -> b.stateMachineArn(LocalEnvironment.STATE_MACHINE_ARN).name(name)
                .input(Json.write(input))).executionArn();
    }

    private DescribeExecutionResponse describe(String arn) {
        return stepFunctions.describeExecution(b -> b.executionArn(arn));
    }

    @Test
    void aStartedRotationRunsAndDescribeExecutionReportsItSucceeded() throws Exception {
        for (String name : List.of("app-1", "app-2", "app-3")) {
            env.cloudFormation.createStack(new StackSpec(name, ConsumerTemplates.rotating(SECRET), Map.of(), List.of(),
                    null, null, null, Duration.ofSeconds(30), null));
        }
        String version = env.secrets.putSecretValue(SECRET, "s3cr3t-value-two", null);

        String arn = start("background-1", new RotationRequest(null, secretArn, version, null, null, null, null));
        List<ExecutionResult> ended = env.awaitBackgroundExecutions(Duration.ofMinutes(3));

        assertThat(ended).hasSize(1);
        ExecutionResult result = ended.get(0);
        assertThat(result.executionName()).isEqualTo("background-1");
        assertThat(result.succeeded()).as(result.error() + ": " + result.cause()).isTrue();
        DescribeExecutionResponse described = describe(arn);
        assertThat(described.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(described.stopDate()).isAfter(described.startDate());
        JsonNode output = Json.MAPPER.readTree(described.output());
        assertThat(output).isEqualTo(result.output());
        for (String name : List.of("app-1", "app-2", "app-3")) {
            assertThat(env.cloudFormation.inspect(name).resources().get("ApiConnection").secretVersions())
                    .as(name + " resolved the new version").containsExactly(version);
        }
        assertThat(env.store.report("background-1")).as("the run's report, as a foreground run keeps it").isNotNull();
    }

    @Test
    void aFailedExecutionShowsItsErrorAndCause() {
        String arn = start("background-2", Map.of("secretId", secretArn, "unexpected", 1));
        env.awaitBackgroundExecutions(Duration.ofMinutes(2));

        DescribeExecutionResponse described = describe(arn);

        assertThat(described.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(described.error()).isNotBlank();
        assertThat(described.cause()).contains("unexpected");
        assertThat(described.output()).isNull();
    }

    @Test
    void anotherDefinitionRunsWithItsOwnPlaceholdersAndOneLeftUnfilledIsRefusedByName() {
        String file = "../cli/src/test/resources/with-placeholder.asl.json";
        String machine = "arn:aws:states:us-east-1:123456789012:stateMachine:other";
        assertThatThrownBy(() -> env.runExecutionsOf(machine, file, Map.of()))
                .hasMessageContaining("${RunBucketName}").hasMessageContaining("with-placeholder.asl.json");

        env.runExecutionsOf(machine, file, Map.of("RunBucketName", "bucket-1"));
        String arn = stepFunctions.startExecution(b -> b.stateMachineArn(machine).name("other-1")).executionArn();
        env.awaitBackgroundExecutions(Duration.ofMinutes(2));

        assertThat(describe(arn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(describe(arn).output()).isEqualTo("{\"bucket\":\"bucket-1\"}");
    }
}
