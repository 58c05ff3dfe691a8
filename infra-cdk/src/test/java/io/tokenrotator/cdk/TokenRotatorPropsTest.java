package io.tokenrotator.cdk;

import io.tokenrotator.settings.Setting;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.sns.Topic;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

class TokenRotatorPropsTest {
    @Test
    void toBuilderKeepsEveryPropSoAnAppChangesOnlyWhatItMeans() throws IllegalAccessException {
        Code code = Code.fromAsset(ProjectPaths.stateMachine().toString());
        TokenRotatorProps given = TokenRotatorProps.builder().parameterName("Rotate").versionParameterName("Version").secrets(List.of("prod/x"))
                .maxConcurrency(7).pollInterval(Duration.seconds(30)).maxWaitPerPhase(Duration.minutes(45))
                .restoreAttempts(2).restoreDelay(Duration.seconds(90)).stackNamePrefix("team-")
                .selection("referencing").createTrail(true)
                .alarmTopic(Topic.fromTopicArn(new Stack(), "Ops", "arn:aws:sns:eu-west-1:123456789012:ops"))
                .lambdaCode(code)
                .managedCredentials(List.of(ManagedCredentialProps.builder().secret("prod/key").userName("bot").build()))
                .targets(List.of(TargetProps.builder().accounts(List.of("111111111111")).regions(List.of("eu-west-1"))
                        .build()))
                .includeHome(false)
                .build();
        // every prop is set away from its default, so a prop toBuilder() dropped would show
        TokenRotatorProps defaults = TokenRotatorProps.builder().build();
        for (Field f : TokenRotatorProps.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                assertThat(Objects.equals(f.get(given), f.get(defaults))).as(f.getName() + " is set").isFalse();
            }
        }

        TokenRotatorProps copy = given.toBuilder().maxConcurrency(8).build();

        assertThat(copy.maxConcurrency()).isEqualTo(8);
        assertThat(copy).usingRecursiveComparison().ignoringFields("settings").isEqualTo(given);
        assertThat(copy.settings()).isEqualTo(given.settings().with(Setting.MAX_CONCURRENCY, 8, "maxConcurrency"));
        assertThat(copy.lambdaCode()).isSameAs(code);
        assertThat(copy.alarmTopic()).isSameAs(given.alarmTopic());
    }
}
