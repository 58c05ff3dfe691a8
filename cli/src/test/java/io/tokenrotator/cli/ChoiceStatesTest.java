package io.tokenrotator.cli;

import io.tokenrotator.contract.Convention;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotator.cli.local.ExecutionResult;
import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.ProgressListener;
import io.tokenrotator.contract.RunSettings;
import io.tokenrotator.contract.StackStatusOutput;
import io.tokenrotator.contract.StatusClass;
import io.tokenrotator.contract.UpdateResult;
import io.tokenrotator.contract.UpdateStackOutput;
import io.tokenrotator.json.Json;
import io.tokenrotator.service.InputRules;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step Functions fails an execution (States.Runtime) when a Choice rule reads a path that is absent, and our JSON
 * leaves null fields out. This runs every Choice state of a child execution of statemachine/token-rotator.asl.json,
 * in the local interpreter (which fails the same way), against every state shape the workflow can be in: the Task
 * results as the Java records really serialize them (a deleted stack has no parameterValue, a first status check that
 * failed leaves no status), with the poll budget left and used up.
 */
class ChoiceStatesTest {
    private static final String ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1";

    private static List<JsonNode> statuses() {
        List<JsonNode> out = new ArrayList<>();
        out.add(null); // no status read yet in this phase
        for (StatusClass c : StatusClass.values()) {
            for (String value : new String[] {"true", "false", null}) {
                for (int next : new int[] {12, 0}) { // 0: the phase's waiting time is used up
                    out.add(Json.MAPPER.valueToTree(new StackStatusOutput("app", ID, "SOME_STATUS", c, value,
                            c == StatusClass.SETTLED ? null : "reason", 45, next)));
                }
            }
        }
        return out;
    }

    private static List<ObjectNode> shapes() {
        RunSettings settings = new RunSettings(10, 20, 5, 2, 30);
        List<ObjectNode> out = new ArrayList<>();
        for (UpdateResult result : UpdateResult.values()) {
            for (JsonNode status : statuses()) {
                for (int polls : new int[] {0, settings.maxPolls()}) {
                    for (int attempt : new int[] {0, settings.restoreAttempts()}) {
                      for (Convention convention : Convention.values()) {
                        ObjectNode s = Json.MAPPER.createObjectNode();
                        // $.stack as Load Planned Stack's ResultSelector builds it from a PlannedStack
                        ObjectNode stack = s.putObject("stack");
                        stack.putObject("ref").put("stackName", "app").put("stackId", ID);
                        stack.put("convention", convention.name());
                        stack.put("parameterName", convention == Convention.IN_PLACE ? "TokenVersion" : "RotateToken");
                        stack.put("target", convention == Convention.IN_PLACE ? "v2-version-id-0000000000000000000000" : "true");
                        s.set("settings", Json.MAPPER.valueToTree(settings));
                        s.set("update", Json.MAPPER.valueToTree(
                                new UpdateStackOutput("app", ID, "true", null, result, "t")));
                        ObjectNode phase = s.putObject("phase").put("polls", polls);
                        phase.set("status", status);
                        s.putObject("restore").put("attempt", attempt).put("delaySeconds", 30);
                        s.putNull("expectedSeconds"); // as the Map's ItemSelector sets it; phase 1 may set a number
                        out.add(s);
                      }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyChoiceDecidesOnEveryShapeTheWorkflowCanBeInWithoutReadingAnAbsentPath() throws Exception {
        JsonNode asl = Json.MAPPER.readTree(Files.readString(LocalEnvironment.projectRoot()
                .resolve("statemachine/token-rotator.asl.json")));
        JsonNode child = asl.path("States").path("Rotate Each Stack").path("ItemProcessor").path("States");

        ObjectNode states = Json.MAPPER.createObjectNode();
        ArrayNode dispatch = Json.MAPPER.createArrayNode();
        List<String> choices = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = child.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().path("Type").asText().equals("Choice")) {
                continue;
            }
            choices.add(e.getKey());
            ObjectNode copy = e.getValue().deepCopy();
            redirect(copy); // every Next leads to a Pass that records where the Choice went
            states.set(e.getKey(), copy);
            dispatch.add(Json.MAPPER.createObjectNode().put("Variable", "$.choice").put("StringEquals", e.getKey())
                    .put("Next", e.getKey()));
        }
        states.set("Which Choice?", Json.MAPPER.createObjectNode().put("Type", "Choice").put("Default", "Reached")
                .set("Choices", dispatch));
        states.set("Reached", Json.MAPPER.createObjectNode().put("Type", "Pass").put("End", true));
        ObjectNode definition = Json.MAPPER.createObjectNode().put("StartAt", "Each");
        ObjectNode map = definition.putObject("States").putObject("Each").put("Type", "Map")
                .put("ItemsPath", "$.items").put("MaxConcurrency", 1).put("End", true);
        map.putObject("ItemProcessor").put("StartAt", "Which Choice?").set("States", states);

        ArrayNode items = Json.MAPPER.createArrayNode();
        for (String choice : choices) {
            for (ObjectNode shape : shapes()) {
                items.add(shape.deepCopy().put("choice", choice));
            }
        }
        try (LocalEnvironment env = new LocalEnvironment(60, InputRules.Defaults.NONE)) {
            ExecutionResult run = env.runDefinition(Json.write(definition), "choices",
                    Json.MAPPER.createObjectNode().set("items", items), ProgressListener.NONE);
            assertThat(run.status()).as(run.error() + ": " + run.cause()).isEqualTo("SUCCEEDED");
            assertThat(run.output().size()).isEqualTo(items.size());
        }
        assertThat(choices).contains("Phase 1 Settled?", "Left At False?", "Phase 2 Settled?", "Restore Needed?");
    }

    private static void redirect(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("Next")) {
                o.put("Next", "Reached");
            }
            if (o.has("Default")) {
                o.put("Default", "Reached");
            }
            o.elements().forEachRemaining(ChoiceStatesTest::redirect);
        } else if (node instanceof ArrayNode a) {
            a.elements().forEachRemaining(ChoiceStatesTest::redirect);
        }
    }
}
