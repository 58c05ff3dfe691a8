package io.tokenrotator.service;

import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.errors.Messages;
import io.tokenrotator.errors.StackNotUpdatableException;
import io.tokenrotator.settings.DeploymentSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks InputRules offers the services beyond the contracts' own fields. */
class InputRulesTest {
    private static final Map<String, List<String>> VERSIONS = Map.of(
            "00000000-0000-4000-8000-000000000002", List.of("AWSCURRENT"),
            "00000000-0000-4000-8000-000000000001", List.of("AWSPREVIOUS"));

    @Test
    void aVersionMustBeOneDescribeSecretListsForTheSecret() {
        assertThatCode(() -> InputRules.versionExists("00000000-0000-4000-8000-000000000001", "prod/api-token",
                VERSIONS)).doesNotThrowAnyException();
        assertThatCode(() -> InputRules.versionExists(null, "prod/api-token", VERSIONS)).doesNotThrowAnyException();

        assertThatThrownBy(() -> InputRules.versionExists("00000000-0000-4000-8000-000000000009", "prod/api-token",
                VERSIONS)).isExactlyInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: versionId: \"00000000-0000-4000-8000-000000000009\" is not a version of"
                        + " secret \"prod/api-token\"; expected one of its 2 version(s) with a staging label (a version"
                        + " without one is deprecated or does not exist)");
    }

    @Test
    void aNoEchoParameterIsRefusedBecauseItsValueCannotBeConfirmed() {
        assertThatCode(() -> InputRules.notNoEcho("app", "RotateToken", "true")).doesNotThrowAnyException();
        assertThatCode(() -> InputRules.notNoEcho("app", "RotateToken", null)).doesNotThrowAnyException();

        assertThatThrownBy(() -> InputRules.notNoEcho("app", "RotateToken", "****"))
                .isExactlyInstanceOf(StackNotUpdatableException.class)
                .hasMessage("stack app: parameter RotateToken is NoEcho: DescribeStacks shows its value as ****, so its"
                        + " value cannot be confirmed before or after an update. Make RotateToken a plain parameter"
                        + " (remove NoEcho), or leave this stack out");
    }

    @Test
    void aQuotedValueIsEscapedAndCutToAHundredCharactersWithItsLength() {
        assertThat(Messages.quote("line\nbreak \"quoted\"")).isEqualTo("\"line\\nbreak \\\"quoted\\\"\"");
        assertThat(Messages.quote("a".repeat(100))).isEqualTo("\"" + "a".repeat(100) + "\"");
        assertThat(Messages.quote("a".repeat(101))).isEqualTo("\"" + "a".repeat(100) + "...\" (101 characters)");
        // never half a surrogate pair
        String emoji = "a".repeat(99) + "\uD83D\uDE00" + "b";
        assertThat(Messages.quote(emoji)).isEqualTo("\"" + "a".repeat(99) + "...\" (102 characters)");
        assertThat(Messages.quote(null)).isEqualTo("null");
    }

    @Test
    void badDeploymentSettingsNameTheVariableAndTheRange() {
        assertThatThrownBy(() -> InputRules.Defaults.fromEnvironment(Map.of("MAX_CONCURRENCY", "0")::get))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable MAX_CONCURRENCY: expected an integer from 1 to 10000, got \"0\"");
        assertThatThrownBy(() -> InputRules.Defaults.fromEnvironment(Map.of("POLL_SECONDS", "2.5")::get))
                .hasMessage("environment variable POLL_SECONDS: expected an integer from 1 to 3600, got \"2.5\"");
        InputRules.Defaults unset = InputRules.Defaults.fromEnvironment(
                Map.of("STACK_NAME_PREFIX", "", "SELECTION", " ", "MAX_CONCURRENCY", "")::get);
        assertThat(unset.stackNamePrefix()).isNull();
        assertThat(unset.selection()).isNull();
        assertThat(unset.settings()).isEqualTo(DeploymentSettings.DEFAULTS);
    }
}
