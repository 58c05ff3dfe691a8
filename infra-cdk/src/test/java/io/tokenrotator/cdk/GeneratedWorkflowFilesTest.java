package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * statemachine/token-rotator.asl.json, docs/workflow.md and docs/workflow.svg are written by statemachine/generate.mjs
 * from the template and retry-policies.json; the committed files must be what it writes.
 */
class GeneratedWorkflowFilesTest {
    private static final String REGENERATE = "edit statemachine/token-rotator.asl.template.json or"
            + " statemachine/retry-policies.json, then run 'node statemachine/generate.mjs' at the repository root";
    private final Path root = ProjectPaths.root();

    @TempDir
    Path out;

    private record Run(int exitCode, String stderr) {}

    private Run generate(Path template, Path policies) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("node", root.resolve("statemachine/generate.mjs").toString(),
                "--template", template.toString(), "--policies", policies.toString(),
                "--asl-out", out.resolve("asl.json").toString(), "--diagram-out", out.resolve("workflow.md").toString(),
                "--svg-out", out.resolve("workflow.svg").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), stderr);
    }

    private Run generateCommitted() throws IOException, InterruptedException {
        Run run = generate(root.resolve("statemachine/token-rotator.asl.template.json"),
                root.resolve("statemachine/retry-policies.json"));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return run;
    }

    @Test
    void theCommittedAslIsTheExpansionOfTheTemplateAndTheRetryPolicies() throws Exception {
        generateCommitted();

        assertThat(Files.readString(ProjectPaths.stateMachine()))
                .as(ProjectPaths.ASL + " is stale or was edited by hand: " + REGENERATE)
                .isEqualTo(Files.readString(out.resolve("asl.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"workflow.md", "workflow.svg"})
    void theCommittedPicturesAreGeneratedFromTheAsl(String picture) throws Exception {
        generateCommitted();

        assertThat(Files.readString(root.resolve("docs").resolve(picture)))
                .as("docs/" + picture + " is stale: run 'node statemachine/generate.mjs' at the repository root")
                .isEqualTo(Files.readString(out.resolve(picture)));
    }

    @Test
    void theSvgPictureIsTheSameBytesOnEveryRun() throws Exception {
        generateCommitted();
        byte[] first = Files.readAllBytes(out.resolve("workflow.svg"));
        Files.delete(out.resolve("workflow.svg"));
        generateCommitted();

        assertThat(first).hasSizeGreaterThan(10_000).isEqualTo(Files.readAllBytes(out.resolve("workflow.svg")));
    }

    @Test
    void everyTaskOfTheTemplateNamesItsRetryPoliciesAndEachRetrierIsDeclaredOnce() throws Exception {
        JsonNode template = TestApps.JSON.readTree(root.resolve("statemachine/token-rotator.asl.template.json").toFile());
        List<JsonNode> tasks = new ArrayList<>();
        collectTasks(template.path("States"), tasks);
        assertThat(tasks).hasSize(10);
        for (JsonNode task : tasks) {
            JsonNode retry = task.path("Retry");
            List<JsonNode> refs = retry.isArray() ? iterable(retry) : List.of(retry);
            assertThat(refs).as(task.toString()).isNotEmpty()
                    .allSatisfy(ref -> assertThat(ref.isTextual() && ref.asText().startsWith("@")).as(ref.toString()).isTrue());
        }
        Set<JsonNode> retriers = new HashSet<>();
        TestApps.JSON.readTree(root.resolve("statemachine/retry-policies.json").toFile()).path("Policies")
                .forEach(policy -> policy.path("Retry").forEach(r -> assertThat(retriers.add(r)).as(r.toString()).isTrue()));
        assertThat(retriers).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void aRetryNamingAnUnknownPolicyIsRefusedNamingTheStateAndThePolicies() throws Exception {
        assertRefusedInOneLine(generate(writeTemplate("\"@standrd\""), writePolicies("standard")),
                "state \"Only Task\"", "@standrd", "accepted: @standard");
    }

    @Test
    void anInlineRetrierIsRefusedSoThatRetriersStayDeclaredOnce() throws Exception {
        assertRefusedInOneLine(generate(writeTemplate("[{\"ErrorEquals\": [\"States.ALL\"]}]"), writePolicies("standard")),
                "state \"Only Task\"", "an inline retrier", "retry-policies.json");
    }

    @Test
    void aPolicyNoStateNamesIsRefused() throws Exception {
        assertRefusedInOneLine(generate(writeTemplate("\"@standard\""), writePolicies("standard", "spare")),
                "@spare", "which no state names");
    }

    private static void assertRefusedInOneLine(Run run, String... mentions) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip()).doesNotContain("\n").contains(mentions);
    }

    @Test
    void policiesExpandInTheOrderTheTaskNamesThem() throws Exception {
        Run run = generate(writeTemplate("[\"@spare\", \"@standard\"]"), writePolicies("standard", "spare"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode retry = TestApps.JSON.readTree(out.resolve("asl.json").toFile())
                .path("States").path("Only Task").path("Retry");
        assertThat(retry.toString()).isEqualTo("[{\"ErrorEquals\":[\"spare\"]},{\"ErrorEquals\":[\"standard\"]}]");
    }

    @Test
    void thePictureHasANodeForEveryStateAndAnEdgeForEveryTransitionWithCatchesDashed() throws Exception {
        String picture = Files.readString(root.resolve("docs/workflow.md"));
        JsonNode asl = TestApps.JSON.readTree(ProjectPaths.stateMachine().toFile());
        List<String> nodes = new ArrayList<>();
        List<String> edges = new ArrayList<>();
        expected(asl.path("States"), nodes, edges);

        assertThat(picture).contains("```mermaid\nflowchart TD\n");
        assertThat(nodes).hasSizeGreaterThan(40);
        assertThat(edges).hasSizeGreaterThan(60);
        for (String pattern : nodes) {
            assertThat(picture).as("a node " + pattern).containsPattern(pattern);
        }
        for (String pattern : edges) {
            assertThat(picture).as("an edge " + pattern).containsPattern(pattern);
        }
        assertThat(picture.lines().filter(l -> l.contains("-->") || l.contains("-.->")).count())
                .as("one line per transition, plus the two starts").isEqualTo(edges.size() + 2);
    }

    /** Patterns: a node (a subgraph for the Map) per state; an edge per Next, Choice rule, Default and Catch. */
    private static void expected(JsonNode states, List<String> nodes, List<String> edges) {
        states.fields().forEachRemaining(e -> {
            String id = id(e.getKey());
            JsonNode s = e.getValue();
            String shape = s.has("ItemProcessor") ? "subgraph " + id + " \\[\"" : id + "[\\[\\(\\{/]+\"";
            nodes.add("\n\\s+" + shape + Pattern.quote(e.getKey()) + "[\" ]");
            s.path("Choices").forEach(c -> edges.add("\n  " + id + " -->\\|\"[^\"]+\"\\| " + id(c.path("Next").asText()) + "\n"));
            if (s.has("Default")) {
                edges.add("\n  " + id + " -->\\|default\\| " + id(s.path("Default").asText()) + "\n");
            }
            if (s.has("Next")) {
                edges.add("\n  " + id + " --> " + id(s.path("Next").asText()) + "\n");
            }
            s.path("Catch").forEach(c -> edges.add("\n  " + id + " -\\.->\\|\"catch [^\"]+\"\\| " + id(c.path("Next").asText()) + "\n"));
            if (s.has("ItemProcessor")) {
                expected(s.path("ItemProcessor").path("States"), nodes, edges);
            }
        });
    }

    private static String id(String state) {
        return state.replaceAll("[^A-Za-z0-9]", "");
    }

    private static void collectTasks(JsonNode states, List<JsonNode> into) {
        states.forEach(s -> {
            if ("Task".equals(s.path("Type").asText())) {
                into.add(s);
            }
            if (s.has("ItemProcessor")) {
                collectTasks(s.path("ItemProcessor").path("States"), into);
            }
        });
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private Path writeTemplate(String retry) throws IOException {
        return Files.writeString(out.resolve("template.json"), """
                {"StartAt": "Only Task", "States": {"Only Task": {"Type": "Task", "Resource": "${Fn}", "Retry": %s,
                "End": true}}}""".formatted(retry));
    }

    private Path writePolicies(String... names) throws IOException {
        List<String> policies = new ArrayList<>();
        for (String name : names) {
            policies.add("\"%s\": {\"Retry\": [{\"ErrorEquals\": [\"%s\"]}]}".formatted(name, name));
        }
        return Files.writeString(out.resolve("policies.json"), "{\"Policies\": {" + String.join(", ", policies) + "}}");
    }
}
