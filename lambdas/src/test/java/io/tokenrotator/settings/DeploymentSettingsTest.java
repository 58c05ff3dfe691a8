package io.tokenrotator.settings;

import io.tokenrotator.contract.RunSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentSettingsTest {
    private static final DeploymentSettings CHOSEN = DeploymentSettings.of(Map.of(Setting.MAX_CONCURRENCY, 7,
            Setting.POLL_SECONDS, 40, Setting.MAX_WAIT_MINUTES, 90, Setting.RESTORE_ATTEMPTS, 2,
            Setting.RESTORE_DELAY_SECONDS, 45));

    @Test
    void theEnvironmentTheConstructWritesGivesFindStacksTheSameSettingsBack() {
        assertThat(CHOSEN.environment()).containsEntry("POLL_SECONDS", "40").containsEntry("MAX_WAIT_MINUTES", "90")
                .hasSize(Setting.values().length);
        assertThat(DeploymentSettings.fromEnvironment(CHOSEN.environment()::get)).isEqualTo(CHOSEN);
        assertThat(DeploymentSettings.fromEnvironment(Map.of("POLL_SECONDS", " ")::get))
                .as("an empty variable is unset").isEqualTo(DeploymentSettings.DEFAULTS);
    }

    @Test
    void theWorkflowKeepsTheWaitingTimePerPhaseWhateverThePollInterval() {
        RunSettings run = CHOSEN.runSettings();
        assertThat(run.maxPolls()).as("90 minutes of 40-second checks").isEqualTo(135);
        assertThat(run.maxWaitMinutesPerPhase()).isEqualTo(90);
        assertThat(run.restoreDelaysSeconds()).containsExactly(45, 90);
        assertThat(DeploymentSettings.DEFAULTS.runSettings().maxPolls()).isEqualTo(180);
    }

    @Test
    void eachErrorNamesTheSettingAsItsSourceCallsIt() {
        assertThatThrownBy(() -> DeploymentSettings.fromEnvironment(Map.of("RESTORE_ATTEMPTS", "21")::get))
                .hasMessage("environment variable RESTORE_ATTEMPTS: expected an integer from 0 to 20, got \"21\"");
        assertThatThrownBy(() -> CHOSEN.with(Setting.MAX_CONCURRENCY, 10_001, "--max-concurrency"))
                .hasMessage("--max-concurrency: expected an integer from 1 to 10000, got 10001");
        assertThatThrownBy(() -> DeploymentSettings.parse(Map.of(Setting.POLL_SECONDS, "1")::get,
                s -> "CDK context " + s.key()))
                .hasMessageStartingWith("CDK context pollSeconds, CDK context maxWaitMinutes and CDK context"
                        + " restoreAttempts: CDK context pollSeconds 1 s with CDK context maxWaitMinutes 60 min allow"
                        + " 3600 status checks per phase")
                .hasMessageContaining("25000");
    }

    @Test
    void namesAreDerivedOnceFromTheKey() {
        assertThat(Setting.RESTORE_DELAY_SECONDS.option()).isEqualTo("--restore-delay-seconds");
        assertThat(Setting.RESTORE_DELAY_SECONDS.variable()).isEqualTo("RESTORE_DELAY_SECONDS");
        assertThat(Setting.POLL_SECONDS.prop()).isEqualTo("pollInterval");
    }

    /** cdk.json's context is what `cdk deploy` uses: its run settings are the documented defaults. */
    @Test
    void cdkJsonDeploysTheDefaultOfEverySetting() throws Exception {
        com.fasterxml.jackson.databind.JsonNode context = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Path.of(System.getProperty("project.root"), "cdk.json").toFile()).path("context");
        for (Setting s : Setting.values()) {
            assertThat(context.path(s.key()).asInt(-1)).as("cdk.json context " + s.key()).isEqualTo(s.defaultValue());
        }
    }

    /** The README's context-key table has a row per setting with its key, default and meaning. */
    @Test
    void theReadmeDocumentsEverySettingAsThisTypeDeclaresIt() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("project.root"), "README.md"));
        for (Setting s : Setting.values()) {
            assertThat(readme).as("README row for " + s.key())
                    .contains("| `" + s.key() + "` | " + s.defaultValue() + " | " + s.meaning());
        }
    }
}
