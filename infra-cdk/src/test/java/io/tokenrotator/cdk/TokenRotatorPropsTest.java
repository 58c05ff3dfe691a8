package io.tokenrotator.cdk;

import io.tokenrotator.settings.Setting;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenRotatorPropsTest {
    @Test
    void toBuilderKeepsEveryPropSoAnAppChangesOnlyWhatItMeans() {
        TokenRotatorProps given = TokenRotatorProps.builder().parameterName("Rotate").secrets(List.of("prod/x"))
                .maxConcurrency(7).pollInterval(Duration.seconds(30)).maxWaitPerPhase(Duration.minutes(45))
                .restoreAttempts(2).restoreDelay(Duration.seconds(90)).stackNamePrefix("team-")
                .selection("referencing").createTrail(true).lambdaJar(Path.of("/opt/lambdas.jar")).build();

        TokenRotatorProps copy = given.toBuilder().maxConcurrency(8).build();

        assertThat(copy.maxConcurrency()).isEqualTo(8);
        assertThat(copy).usingRecursiveComparison().ignoringFields("settings").isEqualTo(given);
        assertThat(copy.settings()).isEqualTo(given.settings().with(Setting.MAX_CONCURRENCY, 8, "maxConcurrency"));
        assertThat(copy.pollInterval().toSeconds()).isEqualTo(30);
        assertThat(copy.lambdaJar()).isEqualTo(Path.of("/opt/lambdas.jar"));
    }
}
