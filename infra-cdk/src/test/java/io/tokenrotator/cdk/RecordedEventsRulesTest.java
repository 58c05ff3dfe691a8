package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.event.ruler.Machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The synthesized EventBridge rules, run through Event Ruler (the matching library EventBridge is built on) over
 * the recorded events in src/test/resources/events. Each file says which rules must match it ({@code _expect.rules},
 * stripped before matching): the watched secret's changes in every recorded shape, and none of the same changes for
 * a secret whose name extends the watched one, for the same name in another region, for failed calls, for
 * AWSPENDING-only puts or for labels other than AWSCURRENT.
 */
class RecordedEventsRulesTest {
    static final Path EVENTS = ProjectPaths.root().resolve("infra-cdk/src/test/resources/events");
    /** The corpus's watched secrets: one by name, one pinned by its full ARN. */
    static final Map<String, Object> WATCHING = Map.of("secrets", "prod/api-token,"
            + "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-password-Db1234");

    private static final Machine MACHINE = machineFromTemplate();

    /** Each rule of the template by its construct id (the logical id starts with the construct path). */
    static Map<String, String> rulePatterns() {
        JsonNode template = TestApps.JSON.valueToTree(TestApps.template(WATCHING).toJSON());
        Map<String, String> patterns = new LinkedHashMap<>();
        template.path("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::Events::Rule")) {
                String id = Stream.of("SecretApiCall", "SecretLabelUpdated").filter(e.getKey()::contains).findFirst()
                        .orElse(e.getKey());
                patterns.put(id, e.getValue().path("Properties").path("EventPattern").toString());
            }
        });
        return patterns;
    }

    private static Machine machineFromTemplate() {
        Machine machine = new Machine();
        rulePatterns().forEach((name, pattern) -> {
            try {
                machine.addRule(name, pattern);
            } catch (IOException e) {
                throw new UncheckedIOException("Event Ruler refuses the pattern of " + name + ": " + pattern, e);
            }
        });
        return machine;
    }

    /** The recorded events with their expectation, by file name. */
    static Map<String, ObjectNode> corpus() {
        Map<String, ObjectNode> events = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(EVENTS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                events.put(f.getFileName().toString(), (ObjectNode) TestApps.JSON.readTree(f.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    @Test
    void theTriggerIsTheNativeLabelEventAndTheCloudTrailApiCallRule() {
        assertThat(rulePatterns()).containsOnlyKeys("SecretApiCall", "SecretLabelUpdated");
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(45);
    }

    @TestFactory
    Stream<DynamicTest> eachRecordedEventMatchesExactlyTheRulesItsFileExpects() {
        return corpus().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            ObjectNode event = e.getValue().deepCopy();
            JsonNode expect = event.remove("_expect");
            List<String> expected = new ArrayList<>();
            expect.path("rules").forEach(r -> expected.add(r.asText()));

            List<String> matched = MACHINE.rulesForJSONEvent(event.toString());

            assertThat(matched).as(e.getKey() + ": " + expect.path("why").asText())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }));
    }

    @Test
    void everyWatchedValueChangeMatchesAndNothingAboutAnotherSecretDoes() {
        int watchedStarts = 0;
        for (Iterator<Map.Entry<String, ObjectNode>> it = corpus().entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            JsonNode expect = e.getValue().path("_expect");
            if (e.getKey().startsWith("other-region--")) {
                assertThat(expect.path("rules")).as(e.getKey()).isEmpty();
            }
            if (e.getKey().startsWith("watched--") && expect.path("startRotation").asText().equals("start")
                    && !e.getKey().contains("rotation-succeeded")) {
                assertThat(expect.path("rules")).as(e.getKey()).isNotEmpty();
                watchedStarts++;
            }
        }
        assertThat(watchedStarts).isEqualTo(9);
    }
}
