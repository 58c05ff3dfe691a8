package io.tokenrotator.cdk;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Using the construct in your own CDK app" documents every prop of {@link TokenRotatorProps.Builder}
 * (with its type and default) and every public member of {@link TokenRotator}: a prop or member added, renamed or
 * re-typed without its row fails here, and so does a row that no longer exists.
 */
class ConstructDocumentationTest {
    private static final String SECTION = "### Using the construct in your own CDK app";
    private static final String PROPS_HEADER = "| prop | type | default | meaning |";
    private static final String MEMBERS_HEADER = "| member | type | meaning |";

    @Test
    void everyBuilderMethodHasARowWithItsTypeAndEveryRowIsABuilderMethod() throws IOException {
        Map<String, List<String>> rows = table(PROPS_HEADER);
        Map<String, String> props = new LinkedHashMap<>();
        for (Method m : TokenRotatorProps.Builder.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.getName().equals("build")) {
                assertThat(m.getParameterCount()).as(m.getName()).isEqualTo(1);
                props.put(m.getName(), simpleName(m.getGenericParameterTypes()[0]));
            }
        }
        assertThat(rows.keySet()).as("props table rows vs TokenRotatorProps.Builder")
                .containsExactlyInAnyOrderElementsOf(props.keySet());
        props.forEach((name, type) -> assertThat(rows.get(name).get(0)).as("type of " + name).isEqualTo(type));
    }

    @Test
    void theDefaultsColumnIsWhatAnEmptyBuilderBuilds() throws Exception {
        Map<String, List<String>> rows = table(PROPS_HEADER);
        TokenRotatorProps defaults = TokenRotatorProps.builder().build();
        int checked = 0;
        for (String prop : rows.keySet()) {
            Object value = TokenRotatorProps.class.getMethod(prop).invoke(defaults);
            String documented = rows.get(prop).get(1).replace("`", "");
            String printed = printable(value);
            if (printed != null) {
                assertThat(documented).as("default of " + prop).isEqualTo(printed);
                checked++;
            } else {
                assertThat(documented).as("default of " + prop + " (not printable: described in words)").isNotBlank();
            }
        }
        assertThat(checked).as("printable defaults checked").isGreaterThanOrEqualTo(9);
    }

    @Test
    void everyPublicMemberOfTheConstructHasARowWithItsType() throws IOException {
        Map<String, List<String>> rows = table(MEMBERS_HEADER);
        Map<String, String> members = new LinkedHashMap<>();
        for (Field f : TokenRotator.class.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers())) {
                members.put(f.getName(), simpleName(f.getGenericType()));
            }
        }
        for (Method m : TokenRotator.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                members.put(m.getName() + Arrays.stream(m.getGenericParameterTypes())
                        .map(ConstructDocumentationTest::simpleName).collect(Collectors.joining(", ", "(", ")")),
                        simpleName(m.getGenericReturnType()));
            }
        }
        assertThat(rows.keySet()).as("members table rows vs TokenRotator's public members")
                .containsExactlyInAnyOrderElementsOf(members.keySet());
        members.forEach((name, type) -> assertThat(rows.get(name).get(0)).as("type of " + name).isEqualTo(type));
    }

    /** How the README prints a default; null where the default is described in words (no value, or an object). */
    private static String printable(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Duration d) {
            return d.toHumanString();
        }
        if (value instanceof List<?> l && l.isEmpty()) {
            return "none";
        }
        return null;
    }

    /** {@code java.util.Map<java.lang.String, software.amazon...Function>} -> {@code Map<String, Function>}. */
    private static String simpleName(Type type) {
        return type.getTypeName().replaceAll("[a-z0-9_]+\\.", "").replace('$', '.');
    }

    /** The rows of the section's table with this header: first cell (without backticks) -> the other cells. */
    private static Map<String, List<String>> table(String header) throws IOException {
        String readme = Files.readString(ProjectPaths.root().resolve("README.md"));
        int start = readme.indexOf(SECTION);
        assertThat(start).as("README section " + SECTION).isNotNegative();
        int end = readme.indexOf("\n## ", start);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        int at = section.indexOf("\n" + header + "\n");
        assertThat(at).as("a table headed " + header + " in " + SECTION).isNotNegative();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        List<String> lines = section.substring(at + 1).lines().skip(2).takeWhile(l -> l.startsWith("|")).toList();
        for (String line : lines) {
            List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split(" \\| ", -1))
                    .map(String::trim).toList();
            assertThat(cells).as(line).hasSize(header.split(" \\| ").length);
            List<String> rest = new ArrayList<>(cells.subList(1, cells.size()));
            rest.set(0, rest.get(0).replace("`", "")); // the type
            assertThat(rows.put(cells.get(0).replace("`", ""), rest)).as("one row for " + cells.get(0)).isNull();
        }
        return rows;
    }
}
