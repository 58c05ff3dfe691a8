package io.tokenrotator.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.service.ExecutionNames;
import io.tokenrotator.service.StartRotationService;
import io.tokenrotator.service.WatchedSecrets;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.simulator.SimClock;
import io.tokenrotator.simulator.SimulatorServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Start Rotation handler end to end over the recorded events (infra-cdk/src/test/resources/events, the same files
 * the rule test runs through Event Ruler): the real handler and service, the real SDK client over HTTP to the
 * simulated Secrets Manager for DescribeSecret, and a Step Functions stand-in that records starts and refuses a
 * second execution of one name as StartExecution does (ExecutionAlreadyExists).
 */
class StartRotationCorpusTest {
    static final Path EVENTS = Path.of(System.getProperty("project.root", ".."), "infra-cdk/src/test/resources/events");
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";
    static final String WATCHED = "[{\"arn\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token\","
            + " \"exact\": false}, {\"arn\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-Db1234\","
            + " \"exact\": true}]";

    /** StartExecution's naming rule: one execution per name; a second start of a name is refused. */
    static final class RecordingStepFunctions implements ExecutionStarter {
        final Map<String, String> executions = new LinkedHashMap<>();

        @Override
        public Started start(String name, String inputJson) {
            if (executions.putIfAbsent(name, inputJson) == null) {
                return Started.STARTED;
            }
            return Started.ALREADY_EXISTS;
        }

        @Override
        public java.util.Optional<String> status(String name) {
            return executions.containsKey(name) ? java.util.Optional.of("SUCCEEDED") : java.util.Optional.empty();
        }
    }

    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel(REGION, ACCOUNT);
    private final SimulatorServer server;
    private final SecretsManagerClient client;
    private final RecordingStepFunctions sfn = new RecordingStepFunctions();
    private final String apiToken = secrets.createSecret("prod/api-token", "s3cr3t-one", "AbCdEf");
    private final String current;

    StartRotationCorpusTest() throws IOException {
        secrets.createSecret("prod/api-token-2", "other-one", "XyZ123");
        secrets.createSecret("prod/db-password", "db-one", "Db1234");
        current = secrets.putSecretValue("prod/api-token", "s3cr3t-two", null);
        IamModel iam = new IamModel();
        iam.addAdministrator(AwsClients.LOCAL_ACCESS_KEY_ID, "arn:aws:iam::" + ACCOUNT + ":user/tests");
        server = new SimulatorServer(new CloudFormationModel(clock, secrets, REGION, ACCOUNT), secrets, iam, clock);
        client = AwsClients.local(server.endpoint(), 1000).secretsManager();
    }

    @AfterEach
    void close() {
        server.close();
        client.close();
    }

    private StartRotationHandler handler() {
        return new StartRotationHandler(new StartRotationService(new SdkSecrets(client), sfn,
                WatchedSecrets.fromEnvironment(Map.of("WATCHED_SECRETS", WATCHED, "AWS_REGION", REGION)::get),
                new JsonLog(new PrintStream(OutputStream.nullOutputStream()))));
    }

    static Map<String, ObjectNode> corpus() {
        Map<String, ObjectNode> events = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(EVENTS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                events.put(f.getFileName().toString(), (ObjectNode) Json.MAPPER.readTree(f.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /** Delivers the event as EventBridge does (without the file's _expect) and returns the handler's JSON answer. */
    private JsonNode deliver(StartRotationHandler handler, ObjectNode recorded) throws IOException {
        ObjectNode event = recorded.deepCopy();
        event.remove("_expect");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    private String nameOfCurrent(String secretName, String arn) {
        return ExecutionNames.forSecretVersion(secretName, arn, secrets.describeOrThrow(arn)
                .versionWithStage(SecretsManagerModel.AWSCURRENT));
    }

    @TestFactory
    Stream<DynamicTest> eachRecordedEventStartsTheCurrentVersionOnceOrNothing() {
        return corpus().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            sfn.executions.clear();
            JsonNode expect = e.getValue().path("_expect");
            StartRotationHandler handler = handler();

            JsonNode first = deliver(handler, e.getValue());
            JsonNode again = deliver(handler, e.getValue());

            if (expect.path("startRotation").asText().equals("start")) {
                String arn = first.path("secretArn").asText();
                String name = arn.contains("db-password") ? nameOfCurrent("prod/db-password", arn)
                        : nameOfCurrent("prod/api-token", apiToken);
                assertThat(sfn.executions).as(e.getKey()).containsOnlyKeys(name);
                assertThat(Json.MAPPER.readTree(sfn.executions.get(name))).isEqualTo(Json.MAPPER.readTree(
                        "{\"secretId\": \"" + arn + "\", \"versionId\": \"" + secrets.describeOrThrow(arn)
                                .versionWithStage(SecretsManagerModel.AWSCURRENT) + "\"}"));
                assertThat(first.path("started").asBoolean()).isTrue();
                assertThat(again.path("started").asBoolean()).as("a second delivery starts nothing more").isFalse();
            } else {
                assertThat(sfn.executions).as(e.getKey() + ": " + expect.path("why").asText()).isEmpty();
                assertThat(first.path("started").asBoolean()).isFalse();
                assertThat(first.path("detail").asText()).as("says why").isNotBlank();
            }
        }));
    }

    @Test
    void everyRuleCombinationForOneChangeStartsExactlyOneExecutionPerAwsCurrentVersion() throws IOException {
        Map<String, ObjectNode> corpus = corpus();
        StartRotationHandler handler = handler();
        List<String> oneChange = List.of("watched--label-updated-awscurrent.json", "watched--put-response-null.json",
                "watched--put-response-arn-only.json", "watched--put-response-full.json", "watched--put-legacy-aRN.json",
                "watched--rotation-succeeded.json", "watched--put-stages-awspending.json",
                "extends-name--put-response-arn-only.json", "other-region--label-updated-awscurrent.json");

        for (String file : oneChange) {
            deliver(handler, corpus.get(file));
            deliver(handler, corpus.get(file)); // EventBridge delivers at least once
        }
        assertThat(sfn.executions).containsOnlyKeys(nameOfCurrent("prod/api-token", apiToken));

        // a rollback moves AWSCURRENT to the earlier version: that version is a new change, started once
        String earlier = secrets.describeOrThrow(apiToken).versionWithStage(SecretsManagerModel.AWSPREVIOUS);
        secrets.promote(apiToken, earlier);
        for (String file : List.of("watched--update-version-stage-awscurrent.json", "watched--label-updated-awscurrent.json",
                "watched--update-secret-description-only.json")) {
            deliver(handler, corpus.get(file));
        }
        assertThat(new ArrayList<>(sfn.executions.keySet())).hasSize(2)
                .endsWith(ExecutionNames.forSecretVersion("prod/api-token", apiToken, earlier));
        assertThat(secrets.allValuesForLeakChecks()).noneMatch(v -> sfn.executions.values().stream()
                .anyMatch(input -> input.contains(v)));
    }
}
