package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/workflow.svg, drawn by statemachine/generate.mjs from the ASL (GeneratedWorkflowFilesTest checks that it is
 * current): a box for every state, shaped and coloured by its type, and an arrow for every transition.
 */
class WorkflowPictureTest {
    private final Path root = ProjectPaths.root();
    private final JsonNode asl = TestApps.JSON.readTree(ProjectPaths.stateMachine().toFile());
    private final Document svg;

    WorkflowPictureTest() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        svg = factory.newDocumentBuilder().parse(root.resolve("docs/workflow.svg").toFile());
    }

    @Test
    void isAnSvgDocumentThatSaysWhereItComesFrom() {
        Element top = svg.getDocumentElement();
        assertThat(top.getTagName()).isEqualTo("svg");
        assertThat(top.getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(top.getAttribute("viewBox")).matches("0 0 \\d+ \\d+");
        assertThat(top.getTextContent()).contains("statemachine/token-rotator.asl.json", "generate.mjs");
    }

    @Test
    void everyStateIsABoxWhoseShapeAndColourTellItsType() {
        Map<String, JsonNode> states = AslStates.of(asl);
        Map<String, Set<String>> looksByType = new HashMap<>();

        for (Map.Entry<String, JsonNode> e : states.entrySet()) {
            String type = e.getValue().path("Type").asText();
            List<Element> boxes = groups("state", "data-state", e.getKey());
            assertThat(boxes).as("the box of " + e.getKey()).hasSize(1);
            Element box = boxes.get(0);
            assertThat(box.getAttribute("class")).isEqualTo("state " + type.toLowerCase());
            assertThat(text(box)).as(e.getKey()).startsWith(e.getKey());
            Element shape = firstShape(box);
            looksByType.computeIfAbsent(type, t -> new TreeSet<>()).add(shape.getTagName() + " "
                    + shape.getAttribute("points").split(" ").length + " " + shape.getAttribute("fill"));
        }

        assertThat(looksByType.keySet()).containsExactlyInAnyOrder("Task", "Choice", "Wait", "Pass", "Map", "Succeed", "Fail");
        looksByType.forEach((type, looks) -> assertThat(looks).as("every " + type + " looks the same").hasSize(1));
        assertThat(looksByType.values().stream().map(s -> s.iterator().next()).distinct())
                .as("each type looks different: " + looksByType).hasSize(looksByType.size());
        assertThat(groups("cluster", "data-state", "Rotate Each Stack")).as("the Map's child states are drawn inside it")
                .hasSize(1);
    }

    @Test
    void everyTransitionIsAnArrowChoicesLabelledWithTheirRuleAndCatchesDashedAndLabelledWithTheirErrors() {
        List<String> expected = new ArrayList<>();
        transitions(asl.path("States"), expected);
        List<String> drawn = new ArrayList<>();
        for (Element edge : elements("g")) {
            String kind = edge.getAttribute("class");
            if (kind.startsWith("edge ") && !kind.equals("edge start") && !kind.equals("edge end")) {
                drawn.add(kind.substring(5) + " " + edge.getAttribute("data-from") + " -> " + edge.getAttribute("data-to")
                        + labelOf(edge));
            }
            if (kind.equals("edge catch")) {
                assertThat(firstShape(edge).getAttribute("stroke-dasharray")).as(drawn.get(drawn.size() - 1)).isNotEmpty();
            } else if (kind.startsWith("edge ")) {
                assertThat(firstShape(edge).getAttribute("stroke-dasharray")).isEmpty();
            }
        }

        assertThat(expected).hasSizeGreaterThan(60);
        assertThat(drawn).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(groups("edge start", "data-to", asl.path("StartAt").asText())).hasSize(1);
    }

    @Test
    void theReadmeShowsItInHowItWorksAndTheMermaidPageLinksIt() throws Exception {
        String readme = Files.readString(root.resolve("README.md"));
        int section = readme.indexOf("\n## How it works\n");
        assertThat(section).isPositive();
        String howItWorks = readme.substring(section, readme.indexOf("\n## ", section + 1));

        assertThat(howItWorks).contains("](docs/workflow.svg)");
        assertThat(Files.readString(root.resolve("docs/workflow.md"))).contains("](workflow.svg)");
    }

    /** "kind from -> to [label words]" for every Next, Choice rule, Default and Catch, the Map's child states included. */
    private static void transitions(JsonNode states, List<String> into) {
        states.fields().forEachRemaining(e -> {
            String from = e.getKey();
            JsonNode s = e.getValue();
            s.path("Choices").forEach(rule -> into.add("choice " + from + " -> " + rule.path("Next").asText()
                    + " " + ruleWords(rule)));
            if (s.has("Default")) {
                into.add("default " + from + " -> " + s.path("Default").asText() + " [default]");
            }
            if (s.has("Next")) {
                into.add("next " + from + " -> " + s.path("Next").asText() + " []");
            }
            s.path("Catch").forEach(c -> {
                List<String> errors = new ArrayList<>();
                c.path("ErrorEquals").forEach(n -> errors.add(n.asText().replaceFirst("^io\\.tokenrotator\\.errors\\.", "")));
                into.add("catch " + from + " -> " + c.path("Next").asText() + " [catch " + String.join(", ", errors) + "]");
            });
            if (s.has("ItemProcessor")) {
                transitions(s.path("ItemProcessor").path("States"), into);
            }
        });
    }

    /** The words a rule's label must hold: each variable's and path's last name and each compared value. */
    private static String ruleWords(JsonNode rule) {
        Set<String> words = new TreeSet<>();
        collectWords(rule, words);
        return words.toString();
    }

    private static void collectWords(JsonNode rule, Set<String> words) {
        for (String combinator : List.of("And", "Or")) {
            rule.path(combinator).forEach(r -> collectWords(r, words));
        }
        if (rule.has("Not")) {
            collectWords(rule.path("Not"), words);
        }
        rule.fields().forEachRemaining(f -> {
            if (!List.of("And", "Or", "Not", "Next", "IsPresent").contains(f.getKey())) {
                String value = f.getValue().asText();
                words.add(value.startsWith("$.") ? value.substring(value.lastIndexOf('.') + 1) : value);
            }
        });
    }

    /** The words of a Choice rule's label but its operators; or the whole label of other edges. */
    private static String labelOf(Element edge) {
        String label = String.join(" ", lines(edge));
        if (!edge.getAttribute("class").equals("edge choice")) {
            return " [" + label + "]";
        }
        Set<String> words = new TreeSet<>();
        for (String word : label.split("[ ()]+")) {
            if (!word.isEmpty() && !List.of("and", "or", "not", "present", "absent", "==", "<", ">", "<=", ">=").contains(word)) {
                words.add(word);
            }
        }
        return " " + words;
    }

    private static List<String> lines(Element edge) {
        List<String> lines = new ArrayList<>();
        NodeList spans = edge.getElementsByTagName("tspan");
        for (int i = 0; i < spans.getLength(); i++) {
            lines.add(spans.item(i).getTextContent());
        }
        return lines;
    }

    private static String text(Element group) {
        return String.join(" ", lines(group));
    }

    private List<Element> groups(String cssClass, String attribute, String value) {
        return elements("g").stream()
                .filter(g -> g.getAttribute("class").equals(cssClass) || g.getAttribute("class").startsWith(cssClass + " "))
                .filter(g -> g.getAttribute(attribute).equals(value))
                .toList();
    }

    private List<Element> elements(String tag) {
        NodeList list = svg.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    private static Element firstShape(Element group) {
        for (org.w3c.dom.Node n = group.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && List.of("rect", "polygon", "path", "circle", "ellipse").contains(e.getTagName())) {
                return e;
            }
        }
        throw new AssertionError("no shape in " + group.getAttribute("class") + " " + group.getAttribute("data-state"));
    }
}
