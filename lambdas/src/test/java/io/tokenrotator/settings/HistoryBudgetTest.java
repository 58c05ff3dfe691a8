package io.tokenrotator.settings;

import io.tokenrotator.contract.RunSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryBudgetTest {
    @Test
    void theDefaultsStayUnderStepFunctionsHistoryLimitInTheWorstCase() {
        RunSettings d = DeploymentSettings.DEFAULTS.runSettings();
        assertThat(HistoryBudget.worstCaseEvents(d.maxPolls(), d.restoreAttempts())).isLessThan(HistoryBudget.LIMIT);
        HistoryBudget.check(d);
    }

    @Test
    void settingsThatCouldOverflowTheHistoryAreRefusedNamingTheLimitAndTheSettings() {
        RunSettings tooMany = new RunSettings(40, 5, 24 * 60 * 60 / 5, 3, 60); // 5-second polls for 24 hours a phase
        assertThatThrownBy(() -> HistoryBudget.check(tooMany)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("25000").hasMessageContaining("pollSeconds 5")
                .hasMessageContaining("maxWaitMinutes 1440").hasMessageContaining("3 restore attempt(s)");
    }

    @Test
    void eachPhaseAndEachRestoreAttemptCountsWithItsOwnStatusCheckBudget() {
        long one = HistoryBudget.worstCaseEvents(100, 0);
        long withRestore = HistoryBudget.worstCaseEvents(100, 1);
        long pollIteration = HistoryBudget.worstCaseEvents(101, 0) - one;
        assertThat(pollIteration).as("wait, check (all its attempts), count, decide; two phases")
                .isEqualTo(2 * (2 + HistoryBudget.task(HistoryBudget.CHECK_TASK_ATTEMPTS) + 2 + 2));
        assertThat(withRestore - one).as("a restore attempt: an update and a whole phase of checks")
                .isGreaterThan(100L * pollIteration / 2);
    }

    @Test
    void restoreDelaysDoubleAndAreCapped() {
        assertThat(new RunSettings(1, 20, 10, 6, 200).restoreDelaysSeconds())
                .containsExactly(200, 400, 800, 900, 900, 900);
        assertThat(new RunSettings(1, 20, 10, 0, 200).restoreDelaysSeconds()).isEmpty();
    }
}
