package io.tokenrotator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.cli.local.ColdStart;
import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.wiring.RotatorFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every function works as deployed: from the shaded jar (lambdas/target/token-rotator-lambdas.jar, built by the
 * lambdas module's package phase, so run this through {@code verify}), in a fresh JVM with only the environment
 * Lambda gives it, through its no-arg constructor, signing as itself against the simulator. This is what shows that
 * the jar's shading and minimizing kept every class the SDK and Jackson load at run time. The bench's timings are
 * not asserted: they depend on the machine.
 */
class ColdStartTest {
    private final LocalEnvironment env = ColdStart.environment(1);

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void everyFunctionAnswersFromTheShadedJarInAFreshJvm() {
        List<ColdStart.Timings> timings = ColdStart.measure(env, ColdStart.lambdaJar(LocalEnvironment.projectRoot()),
                1, line -> { });

        Map<RotatorFunction, JsonNode> answer = new EnumMap<>(RotatorFunction.class);
        timings.forEach(t -> answer.put(t.function(), t.answers().get(0)));
        assertThat(answer.keySet()).containsExactlyInAnyOrder(RotatorFunction.values());
        assertThat(answer.get(RotatorFunction.FIND_STACKS).path("toRotatePreview").toString())
                .isEqualTo("[\"app-0000\"]");
        assertThat(answer.get(RotatorFunction.LOAD_PLANNED_STACK).path("stackName").asText()).isEqualTo("app-0000");
        assertThat(answer.get(RotatorFunction.UPDATE_STACK).path("result").asText()).isEqualTo("UPDATE_STARTED");
        assertThat(answer.get(RotatorFunction.STACK_STATUS).path("stackName").asText()).isEqualTo("app-0000");
        assertThat(answer.get(RotatorFunction.RECORD_RESULT).path("stackName").asText()).isEqualTo("app-0000");
        assertThat(answer.get(RotatorFunction.SUMMARIZE).path("runId").asText()).isEqualTo("cold-start-1");
        assertThat(answer.get(RotatorFunction.START_ROTATION).path("started").asBoolean()).isTrue();
        assertThat(answer.get(RotatorFunction.BEGIN_CYCLE).path("next").asText()).isEqualTo("CREATE");
        assertThat(answer.get(RotatorFunction.CREATE_CREDENTIAL).path("stage").asText()).isEqualTo("STORED");
        assertThat(answer.get(RotatorFunction.PROPAGATE_CREDENTIAL).path("stage").asText()).isEqualTo("PROPAGATING");
        assertThat(answer.get(RotatorFunction.RETIRE_CREDENTIAL).path("next").asText()).isIn("DEACTIVATE", "IN_USE");
        // the new key works (it was checked with STS from the shaded jar) and is what the secret holds now
        assertThat(env.iam.users().keyCount("cold-start-1")).isEqualTo(2);
        // what the functions did, as the simulator saw it
        // Start Rotation's execution and Propagate Credential's (both stay RUNNING here)
        assertThat(env.simulator.callCounts()).containsEntry("UpdateStack", 1L).containsEntry("StartExecution", 2L);
        assertThat(env.cloudFormation.inspect("app-0000").parameters()).containsEntry("RotateToken", "false");
        assertThat(env.store.results("cold-start-1")).hasSize(1);
        for (ColdStart.Timings t : timings) {
            ColdStart.Sample s = t.samples().get(0);
            assertThat(s.toMain()).as(t.function().id()).isPositive().isLessThanOrEqualTo(s.toConstructed());
            assertThat(s.toConstructed()).as(t.function().id()).isLessThanOrEqualTo(s.toAnswer());
            assertThat(s.cpu()).as(t.function().id()).isNotZero();
        }
    }
}
