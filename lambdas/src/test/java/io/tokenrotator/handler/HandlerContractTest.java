package io.tokenrotator.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.errors.StackBusyException;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.FindStacksService;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.service.StackStatusService;
import io.tokenrotator.service.UpdateStackService;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.store.InMemoryRunStore;
import io.tokenrotator.testing.SimulatedAws;
import io.tokenrotator.simulator.ConsumerTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handlers as Lambda calls them: JSON bytes in, JSON bytes out, errors thrown unwrapped. */
class HandlerContractTest {
    private final SimulatedAws aws = new SimulatedAws();
    private final JsonLog quiet = new JsonLog(new PrintStream(OutputStream.nullOutputStream()));
    private final FindStacksHandler find = new FindStacksHandler(new FindStacksService(aws.cloudFormationPort(),
            aws.secretsPort(), new InMemoryRunStore(), quiet), InputRules.Defaults.NONE);
    private final UpdateStackHandler update = new UpdateStackHandler(new UpdateStackService(aws.cloudFormationPort(), aws.runStore(), quiet));
    private final StackStatusHandler status = new StackStatusHandler(new StackStatusService(aws.cloudFormationPort()));
    private final String stackId;

    HandlerContractTest() {
        aws.secrets.createSecret("prod/api-token", "s3cr3t-value-1");
        stackId = aws.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating("prod/api-token"), Map.of()));
    }

    @AfterEach
    void close() {
        aws.close();
    }

    private static JsonNode invoke(JsonHandler<?, ?> handler, String json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    @Test
    void findStacksSpeaksTheDocumentedContract() throws Exception {
        JsonNode out = invoke(find, """
            {"runId": "exec-1", "request": {"secretId": "prod/api-token", "stackNamePrefix": "app", "dryRun": true}}""");

        assertThat(out.path("runId").asText()).isEqualTo("exec-1");
        assertThat(out.path("parameterName").asText()).isEqualTo("RotateToken");
        assertThat(out.path("secret").path("name").asText()).isEqualTo("prod/api-token");
        assertThat(out.path("toRotateCount").asInt()).isEqualTo(1);
        assertThat(out.path("items").toString()).isEqualTo("[0]");
        assertThat(out.path("toRotatePreview").toString()).isEqualTo("[\"app\"]");
        assertThat(out.path("planLocation").asText()).isEqualTo("memory://runs/exec-1/plan.json");
        assertThat(out.has("ignoredReason")).isFalse();
    }

    @Test
    void updateAndStatusSpeakTheDocumentedContract() throws Exception {
        String stack = "{\"stackName\": \"app\", \"stackId\": \"" + stackId + "\"}";
        JsonNode updated = invoke(update, "{\"runId\": \"exec-1\", \"stack\": " + stack + ", \"target\": \"false\"}");
        assertThat(updated.path("result").asText()).isEqualTo("UPDATE_STARTED");
        assertThat(updated.path("previousValue").asText()).isEqualTo("true");
        assertThat(updated.path("target").asText()).isEqualTo("false");
        assertThat(updated.path("clientRequestToken").asText()).startsWith("tr-off-0-");

        aws.advance(Duration.ofMinutes(5));
        JsonNode settled = invoke(status, "{\"stack\": " + stack + "}");
        assertThat(settled.path("status").asText()).isEqualTo("UPDATE_COMPLETE");
        assertThat(settled.path("classification").asText()).isEqualTo("SETTLED");
        assertThat(settled.path("parameterValue").asText()).isEqualTo("false");
        assertThat(settled.has("statusReason")).isFalse();
    }

    @Test
    void findStacksAlsoTakesTheRequestFieldsAtTheTopLevel() throws Exception {
        JsonNode out = invoke(find, "{\"parameterName\": \"RotateToken\", \"secretId\": \"prod/api-token\","
                + " \"stackNamePrefix\": \"app\", \"selection\": \"referencing\"}");

        assertThat(out.path("runId").asText()).startsWith("run-");
        assertThat(out.path("toRotatePreview").toString()).isEqualTo("[\"app\"]");
        assertThatThrownBy(() -> invoke(find, "{\"stackPrefix\": \"app\"}"))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("stackPrefix");
    }

    @Test
    void aStackMayBeGivenByNameOrArnAsAPlainString() throws Exception {
        JsonNode byName = invoke(status, "{\"stack\": \"app\"}");
        assertThat(byName.path("stackId").asText()).isEqualTo(stackId);
        assertThat(byName.path("classification").asText()).isEqualTo("SETTLED");

        JsonNode updated = invoke(update, "{\"runId\": \"exec-1\", \"stack\": \"app\", \"target\": \"false\"}");
        assertThat(updated.path("stackId").asText()).isEqualTo(stackId);
        assertThat(updated.path("result").asText()).isEqualTo("UPDATE_STARTED");
        assertThat(aws.cloudFormation.inspect("app").calls().get(0).stackName()).isEqualTo(stackId);

        JsonNode byArn = invoke(status, "{\"stack\": \"" + stackId + "\"}");
        assertThat(byArn.path("stackName").asText()).isEqualTo("app");
        assertThatThrownBy(() -> invoke(status, "{\"stack\": \"not a stack!\"}"))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("stack.stackName");
    }

    @Test
    void anUnknownFieldIsRejectedByName() {
        assertThatThrownBy(() -> invoke(find, "{\"runId\": \"exec-1\", \"request\": {\"stackPrefix\": \"app\"}}"))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("request.stackPrefix")
                .hasMessageContaining("stackNamePrefix");
    }

    @Test
    void malformedJsonIsRejectedClearly() {
        assertThatThrownBy(() -> invoke(update, "{\"runId\": \"exec-1\", \"attempt\": \"first\"}"))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("attempt");
        assertThatThrownBy(() -> invoke(status, ""))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("input");
    }

    @Test
    void errorsLeaveTheHandlerUnwrappedSoTheirClassNameReachesStepFunctions() {
        aws.cloudFormation.occupy("app", Duration.ofMinutes(1));
        String input = "{\"runId\": \"exec-1\", \"stack\": {\"stackId\": \"" + stackId + "\"}, \"target\": \"false\"}";

        assertThatThrownBy(() -> invoke(update, input)).isExactlyInstanceOf(StackBusyException.class)
                .hasNoCause();
    }

    @Test
    void invalidDeploymentDefaultsFailAtStartNamingTheVariable() {
        assertThatThrownBy(() -> new FindStacksHandler(null, new InputRules.Defaults("Rotate-Token", null, null)))
                .hasMessageContaining("PARAMETER_NAME");
        assertThatThrownBy(() -> new FindStacksHandler(null, new InputRules.Defaults(null, null, "everything")))
                .hasMessageContaining("SELECTION");
    }

    @Test
    void theNoArgConstructorsTakeRegionCredentialsAndEndpointFromTheEnvironment() throws Exception {
        Map<String, String> settings = Map.of("aws.endpointUrl", aws.server.endpoint().toString(),
                "aws.region", "us-east-1", "aws.accessKeyId", "local", "aws.secretAccessKey", "local");
        settings.forEach(System::setProperty); // the SDK reads these as it reads AWS_ENDPOINT_URL, AWS_REGION, ...
        try {
            JsonNode out = invoke(new StackStatusHandler(), "{\"stack\": {\"stackId\": \"" + stackId + "\"}}");
            assertThat(out.path("status").asText()).isEqualTo("CREATE_COMPLETE");
            assertThat(out.path("stackName").asText()).isEqualTo("app");
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
    }
}
