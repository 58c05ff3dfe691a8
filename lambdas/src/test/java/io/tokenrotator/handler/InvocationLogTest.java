package io.tokenrotator.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.FindStacksService;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.simulator.ConsumerTemplates;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.store.InMemoryRunStore;
import io.tokenrotator.testing.SimulatedAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every log line written during an invocation names it: the Lambda request id and the function's name. */
class InvocationLogTest {
    private final SimulatedAws aws = new SimulatedAws();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8));
    private final FindStacksHandler find = new FindStacksHandler(new FindStacksService(aws.cloudFormationPort(),
            aws.secretsPort(), new InMemoryRunStore(), log), InputRules.Defaults.NONE);

    @AfterEach
    void close() {
        aws.close();
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : logged.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.MAPPER.readTree(line));
            }
        }
        return lines;
    }

    private void invoke(String requestId) throws Exception {
        find.handleRequest(new ByteArrayInputStream("""
            {"runId": "exec-1", "request": {"secretId": "prod/api-token", "stackNamePrefix": "app", "dryRun": true}}"""
                .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                new LocalContext(requestId, "TokenRotator-FindStacks"));
    }

    @Test
    void aHandlersLogLinesCarryTheRequestIdAndFunctionNameOfTheirInvocationAndNoSecretValue() throws Exception {
        aws.secrets.createSecret("prod/api-token", "s3cr3t-value-1");
        aws.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating("prod/api-token"), Map.of()));

        invoke("req-1");
        invoke("req-2");
        log.info("outside any invocation");

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).path("message").asText()).isEqualTo("found stacks");
        assertThat(lines.get(0).path("requestId").asText()).isEqualTo("req-1");
        assertThat(lines.get(0).path("function").asText()).isEqualTo("TokenRotator-FindStacks");
        assertThat(lines.get(1).path("requestId").asText()).isEqualTo("req-2");
        assertThat(lines.get(1).path("function").asText()).isEqualTo("TokenRotator-FindStacks");
        assertThat(lines.get(2).has("requestId")).isFalse();
        assertThat(lines.get(2).has("function")).isFalse();
        assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("s3cr3t");
    }
}
