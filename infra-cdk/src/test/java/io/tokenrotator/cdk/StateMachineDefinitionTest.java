package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.contract.Ending;
import io.tokenrotator.settings.HistoryBudget;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** statemachine/token-rotator.asl.json: the single source of the workflow. */
class StateMachineDefinitionTest {
    private static final List<String> LAMBDA_ERRORS = List.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.ClientExecutionTimeoutException", "Lambda.TooManyRequestsException");
    private final String text = Files.readString(ProjectPaths.stateMachine());
    private final JsonNode asl = TestApps.JSON.readTree(text);
    private final JsonNode map = asl.path("States").path("Rotate Each Stack");
    private final JsonNode child = map.path("ItemProcessor").path("States");

    StateMachineDefinitionTest() throws IOException {
    }

    private Map<String, JsonNode> states() {
        return AslStates.of(asl);
    }

    @Test
    void passesAslValidatorOnceEveryPlaceholderIsSubstituted() throws Exception {
        String substituted = text.replaceAll("\\$\\{([A-Za-z]+)}", "arn:aws:lambda:eu-west-1:123456789012:function:$1");
        Path file = Files.createTempFile("token-rotator", ".asl.json");
        Files.writeString(file, substituted);
        Path validator = ProjectPaths.root().resolve("node_modules/.bin/asl-validator");
        assertThat(validator).as("run 'npm install' at the root (the Maven build does)").exists();
        Process p = new ProcessBuilder(validator.toString(), "--json-path", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void everyPlaceholderHasASubstitutionInTheConstruct() {
        Set<String> placeholders = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z]+)}").matcher(text);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        TokenRotatorStack stack = TestApps.stack(Map.of());

        assertThat(placeholders).isNotEmpty().isEqualTo(new TreeSet<>(stack.rotator.workflowFunctions.keySet()));
    }

    @Test
    void everyCustomErrorNameIsATopLevelExceptionClassOfTheHandlers() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode state : states().values()) {
            for (String field : List.of("Retry", "Catch")) {
                state.path(field).forEach(r -> r.path("ErrorEquals").forEach(n -> names.add(n.asText())));
            }
        }
        names.removeIf(n -> n.startsWith("States.") || n.startsWith("Lambda."));

        assertThat(names).isNotEmpty();
        for (String name : names) {
            Class<?> type = Class.forName(name);
            assertThat(Throwable.class).as(name).isAssignableFrom(type);
            assertThat(type.getEnclosingClass()).as(name + " must be top-level").isNull();
            assertThat(type.getPackageName()).isEqualTo("io.tokenrotator.errors");
        }
    }

    @Test
    void stateNamesAreTitleCaseAndChoicesAreQuestions() {
        states().forEach((name, state) -> {
            assertThat(name).matches("([A-Z0-9][A-Za-z0-9]*)( [A-Z0-9][A-Za-z0-9]*)*\\??");
            assertThat(name.endsWith("?")).as(name).isEqualTo(state.path("Type").asText().equals("Choice"));
        });
    }

    @Test
    void everyDecisionTheMapAndTheRestoreLoopSayInACommentWhatRuleTheyEncode() {
        List<String> explained = new ArrayList<>(List.of("Rotate Each Stack", "Count Restore Attempt",
                "Wait Before Restore", "Start Phase 2", "Restore Exhausted"));
        states().forEach((name, state) -> {
            if (state.path("Type").asText().equals("Choice")) {
                explained.add(name);
            }
        });

        assertThat(explained).hasSizeGreaterThan(10);
        for (String name : explained) {
            assertThat(states().get(name).path("Comment").asText()).as(name + "'s Comment: the rule it encodes, in words")
                    .hasSizeGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void rotatesStacksInADistributedMapOfStandardChildExecutionsThatToleratesFailures() {
        assertThat(map.path("Type").asText()).isEqualTo("Map");
        assertThat(map.path("ItemProcessor").path("ProcessorConfig").path("Mode").asText()).isEqualTo("DISTRIBUTED");
        assertThat(map.path("ItemProcessor").path("ProcessorConfig").path("ExecutionType").asText()).isEqualTo("STANDARD");
        assertThat(map.path("MaxConcurrencyPath").asText()).isEqualTo("$.settings.maxConcurrency");
        assertThat(map.path("ToleratedFailurePercentage").asInt()).isEqualTo(100);
        assertThat(map.path("ItemsPath").asText()).isEqualTo("$.items");
        assertThat(map.path("ResultPath").isNull()).as("per-stack outputs are discarded; results live in the store").isTrue();
        assertThat(child.path("Record Result").path("OutputPath").asText()).isEqualTo("$.outcome");
    }

    @Test
    void everyLambdaTaskCarriesTheStandardRetryRetriesLostInvocationsAndHasATimeout() {
        states().forEach((name, state) -> {
            if (!state.path("Type").asText().equals("Task")) {
                return;
            }
            assertThat(state.path("Resource").asText()).as(name).matches("\\$\\{[A-Za-z]+FunctionArn}");
            assertThat(state.path("TimeoutSeconds").asInt()).as(name).isPositive();
            JsonNode lambdaRetry = retryFor(state, "Lambda.ServiceException");
            List<String> errors = new ArrayList<>();
            lambdaRetry.path("ErrorEquals").forEach(e -> errors.add(e.asText()));
            assertThat(errors).as(name).containsExactlyInAnyOrderElementsOf(LAMBDA_ERRORS);
            assertThat(lambdaRetry.path("IntervalSeconds").asInt()).isEqualTo(2);
            assertThat(lambdaRetry.path("BackoffRate").asDouble()).isEqualTo(2.0);
            // timeouts and out-of-memory reach Step Functions as Lambda.Unknown (AWS-FACTS); every task is idempotent
            assertThat(retryFor(state, "Lambda.Unknown").path("MaxAttempts").asInt()).as(name).isPositive();
            assertThat(retryFor(state, "States.Timeout").path("MaxAttempts").asInt()).as(name).isPositive();
        });
    }

    /** 1 + the MaxAttempts of every retrier: the most Lambda invocations one entry into the state can make. */
    private static int attempts(JsonNode state) {
        int total = 1;
        for (JsonNode r : state.path("Retry")) {
            total += r.path("MaxAttempts").asInt(3); // 3 is the ASL default
        }
        return total;
    }

    @Test
    void theHistoryBudgetCountsTheRetriesThisDefinitionReallyHas() {
        assertThat(attempts(child.path("Load Planned Stack"))).isEqualTo(HistoryBudget.STANDARD_TASK_ATTEMPTS);
        for (String update : List.of("Set Token False", "Set Token True")) {
            assertThat(attempts(child.path(update))).as(update).isEqualTo(HistoryBudget.UPDATE_TASK_ATTEMPTS);
        }
        for (String check : List.of("Check Phase 1", "Check After Phase 1 Error", "Check Phase 2",
                "Check After Phase 2 Error")) {
            assertThat(attempts(child.path(check))).as(check).isEqualTo(HistoryBudget.CHECK_TASK_ATTEMPTS);
        }
        assertThat(attempts(child.path("Record Result"))).isEqualTo(HistoryBudget.RECORD_TASK_ATTEMPTS);
        // every Task of a child execution is one of those: a new one must be counted in HistoryBudget too
        List<String> tasks = new ArrayList<>();
        child.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("Task")) {
                tasks.add(e.getKey());
            }
        });
        assertThat(tasks).containsExactlyInAnyOrder("Load Planned Stack", "Set Token False", "Set Token True",
                "Check Phase 1", "Check After Phase 1 Error", "Check Phase 2", "Check After Phase 2 Error",
                "Record Result");
    }

    @Test
    void theEndingStatesAreExactlyTheEndingsRecordResultKnows() {
        Set<String> endings = new TreeSet<>();
        child.fields().forEachRemaining(e -> {
            if (e.getValue().path("ResultPath").asText().equals("$.ending")) {
                String ending = e.getValue().path("Result").asText();
                endings.add(ending);
                assertThat(e.getValue().path("Next").asText()).as(e.getKey()).isEqualTo("Record Result");
                assertThat(e.getKey()).as("the state is named after its ending").isEqualTo(stateName(ending));
            }
        });
        Set<String> java = new TreeSet<>();
        for (Ending ending : Ending.values()) {
            java.add(ending.name());
        }
        assertThat(endings).isEqualTo(java);
    }

    /** PHASE1_ROLLED_BACK -> "Phase 1 Rolled Back": each word capitalised, a phase number apart. */
    private static String stateName(String ending) {
        StringBuilder name = new StringBuilder();
        for (String word : ending.replaceAll("PHASE(\\d)", "PHASE_$1").split("_")) {
            name.append(name.length() == 0 ? "" : " ").append(word.charAt(0)).append(word.substring(1).toLowerCase());
        }
        return name.toString();
    }

    @Test
    void aThrottledBusyOrLeasedUpdateIsTriedAgainByThePhaseLoopWithJitterWithinThePhaseBudget() {
        for (int phase : List.of(1, 2)) {
            String update = phase == 1 ? "Set Token False" : "Set Token True";
            JsonNode caught = child.path(update).path("Catch").get(0);
            assertThat(caught.path("ErrorEquals")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                    "io.tokenrotator.errors.ThrottledException", "io.tokenrotator.errors.AwsUnavailableException",
                    "io.tokenrotator.errors.StackBusyException", "io.tokenrotator.errors.StackLeasedException");
            // a throttled update goes straight to the loop: a Retry a few seconds later would land in another
            // stack's slot (the SDK does not retry it either, SdkCloudFormation.SEND_ONCE)
            child.path(update).path("Retry").forEach(r -> assertThat(r.path("ErrorEquals")).extracting(JsonNode::asText)
                    .as(update).doesNotContain("io.tokenrotator.errors.ThrottledException", "States.ALL"));
            JsonNode count = child.path(caught.path("Next").asText());
            assertThat(count.path("Parameters").path("polls.$").asText()).as("one of the phase's status checks")
                    .isEqualTo("States.MathAdd($.phase.polls, 1)");
            assertThat(count.path("Parameters").path("retrySeconds.$").asText()).startsWith("States.MathRandom(");
            JsonNode budget = child.path(count.path("Next").asText());
            assertThat(budget.path("Choices").get(0).path("NumericLessThanPath").asText()).isEqualTo("$.settings.maxPolls");
            assertThat(budget.path("Default").asText()).isEqualTo("Check After Phase " + phase + " Error");
            JsonNode wait = child.path(budget.path("Choices").get(0).path("Next").asText());
            assertThat(wait.path("SecondsPath").asText()).isEqualTo("$.phase.retrySeconds");
            assertThat(wait.path("Next").asText()).isEqualTo(update);
        }
        states().forEach((name, state) -> {
            if (state.path("Type").asText().equals("Task")
                    && !state.path("Resource").asText().equals("${UpdateStackFunctionArn}")) {
                JsonNode throttled = retryFor(state, "io.tokenrotator.errors.ThrottledException");
                assertThat(throttled.path("BackoffRate").asDouble()).as(name).isGreaterThan(1.0);
                assertThat(throttled.path("JitterStrategy").asText()).as(name).isEqualTo("FULL");
            }
        });
    }

    @Test
    void anInPlaceStackSkipsPhaseOneAndIsRotatedOnlyWhenSettledAtItsTarget() {
        assertThat(child.path("Load Planned Stack").path("Next").asText()).isEqualTo("Wait For Start Slot");
        assertThat(child.path("Wait For Start Slot").path("TimestampPath").asText()).as("Load Planned Stack's answer")
                .isEqualTo("$.stack.waitUntil");
        assertThat(child.path("Wait For Start Slot").path("Next").asText()).isEqualTo("Rotate In Place?");
        JsonNode mode = child.path("Rotate In Place?");
        assertThat(mode.path("Choices")).hasSize(1);
        assertThat(mode.path("Choices").get(0).path("StringEquals").asText()).isEqualTo("IN_PLACE");
        assertThat(mode.path("Choices").get(0).path("Next").asText()).isEqualTo("Start Phase 2");
        assertThat(mode.path("Default").asText()).as("anything else takes the two-phase path").isEqualTo("Set Token False");
        assertThat(child.path("Set Token True").path("Parameters").path("target.$").asText()).isEqualTo("$.stack.target");
        assertThat(child.path("Set Token False").path("Parameters").path("target").asText()).isEqualTo("false");
        assertThat(child.path("Phase 2 Settled?").toString())
                .contains("\"StringEqualsPath\":\"$.stack.target\"");
    }

    @Test
    void aFirstUpdateThatMissedItsSlotIsLoadedAgainForItsLatePointsNotSentAndNotCountedAsATry() {
        for (String update : List.of("Set Token False", "Set Token True")) {
            JsonNode missed = child.path(update).path("Catch").get(1);
            assertThat(missed.path("ErrorEquals")).as(update).extracting(JsonNode::asText)
                    .containsExactly("io.tokenrotator.errors.SlotMissedException");
            assertThat(missed.path("Next").asText()).as(update).isEqualTo("Load Planned Stack");
            assertThat(child.path(update).path("Parameters").path("tries.$").asText()).as(update)
                    .isEqualTo("$.phase.polls");
        }
        assertThat(child.path("Set Token False").path("Parameters").path("lateSendAt.$").asText())
                .isEqualTo("$.stack.lateSlot");
        assertThat(child.path("Set Token True").path("Parameters").path("sendAt.$").asText())
                .isEqualTo("$.stack.targetSlot");
        assertThat(child.path("Check Phase 1").path("Parameters").path("nextUpdateAt.$").asText())
                .as("phase 1's check comes before phase 2's point").isEqualTo("$.stack.targetSlot");
    }

    @Test
    void aStackThatReachedFalseIsRestoredInABoundedLoopBeforeItIsReported() {
        // a failed phase-2 call (other than throttled, busy or leased: tried again) is checked first (deleted and
        // stuck stacks are reported as such), then restored
        assertThat(child.path("Set Token True").path("Catch").get(2).path("ErrorEquals").get(0).asText())
                .isEqualTo("States.ALL");
        assertThat(child.path("Set Token True").path("Catch").get(2).path("Next").asText())
                .isEqualTo("Check After Phase 2 Error");
        assertThat(child.path("Check After Phase 2 Error").path("Catch").get(0).path("Next").asText())
                .isEqualTo("Restore Again?");
        assertThat(child.path("Restore Needed?").path("Default").asText()).isEqualTo("Restore Again?");
        assertThat(child.path("Phase 2 Settled?").path("Default").asText()).isEqualTo("Restore Again?");
        // a status check that fails is one more poll of the loop, within the phase's budget
        assertThat(child.path("Check Phase 2").path("Catch").get(0).path("Next").asText()).isEqualTo("Count Phase 2 Poll");
        JsonNode decide = child.path("Restore Again?");
        // an in-place stack never lost its resources: it is reported, not restored
        assertThat(decide.path("Choices").get(0).path("Variable").asText()).isEqualTo("$.stack.convention");
        assertThat(decide.path("Choices").get(0).path("StringEquals").asText()).isEqualTo("IN_PLACE");
        assertThat(decide.path("Choices").get(0).path("Next").asText()).isEqualTo("In Place Not Applied");
        assertThat(decide.path("Choices").get(1).path("NumericLessThanPath").asText()).isEqualTo("$.settings.restoreAttempts");
        assertThat(decide.path("Choices").get(1).path("Next").asText()).isEqualTo("Count Restore Attempt");
        assertThat(decide.path("Default").asText()).isEqualTo("Restore Exhausted");
        assertThat(child.path("Count Restore Attempt").path("Parameters").toString())
                .contains("States.MathAdd($.restore.attempt, 1)")
                .contains("States.ArrayGetItem($.settings.restoreDelaysSeconds, $.restore.attempt)");
        assertThat(child.path("Count Restore Attempt").path("Next").asText()).isEqualTo("Wait Before Restore");
        assertThat(child.path("Wait Before Restore").path("SecondsPath").asText()).isEqualTo("$.restore.delaySeconds");
        assertThat(child.path("Wait Before Restore").path("Next").asText()).isEqualTo("Start Phase 2");
        assertThat(child.path("Start Phase 2").path("Next").asText()).isEqualTo("Set Token True");
        // a phase 1 error is checked: a stack that may have reached false goes to phase 2, not to a report
        JsonNode phase1Catches = child.path("Set Token False").path("Catch");
        JsonNode anyError = phase1Catches.get(phase1Catches.size() - 1); // the one after the retryable errors' loop
        assertThat(anyError.path("ErrorEquals").toString()).isEqualTo("[\"States.ALL\"]");
        assertThat(anyError.path("Next").asText()).isEqualTo("Check After Phase 1 Error");
        assertThat(child.path("Left At False?").toString()).contains("\"Next\":\"Start Phase 2\"");
    }

    @Test
    void recordingAResultIsRetriedWhateverFailsBecauseItIsIdempotent() {
        JsonNode retries = child.path("Record Result").path("Retry");
        JsonNode last = retries.get(retries.size() - 1);
        assertThat(last.path("ErrorEquals").toString()).isEqualTo("[\"States.ALL\"]");
        assertThat(last.path("MaxAttempts").asInt()).isBetween(1, 5);
    }

    @Test
    void pollingIsBoundedAndEachPhaseAndRestoreAttemptStartsWithAFreshBudget() {
        for (String decide : List.of("Phase 1 Settled?", "Left At False?", "Phase 2 Settled?")) {
            for (JsonNode rule : child.path(decide).path("Choices")) {
                String next = rule.path("Next").asText();
                if (child.path(next).path("Type").asText().equals("Wait")) {
                    assertThat(rule.toString()).as(decide + " -> " + next)
                            .contains("\"NumericLessThanPath\":\"$.settings.maxPolls\"");
                }
            }
            assertThat(child.path(decide).toString()).as(decide).contains("\"Next\":\"Timed Out\"");
        }
        assertThat(child.path("Start Phase 2").path("Result").path("polls").asInt()).isZero();
        assertThat(child.path("Start Phase 2").path("ResultPath").asText()).isEqualTo("$.phase");
        assertThat(map.path("ItemSelector").path("phase").path("polls").asInt()).isZero();
    }

    @Test
    void endsFailedWithItsOwnErrorWhenAStackFailedOrNeedsAttention() {
        JsonNode choice = asl.path("States").path("Any Stack Failed?");
        assertThat(choice.path("Choices").get(0).path("Variable").asText()).isEqualTo("$.failed");
        JsonNode fail = asl.path("States").path(choice.path("Choices").get(0).path("Next").asText());
        assertThat(fail.path("Type").asText()).isEqualTo("Fail");
        assertThat(fail.path("Error").asText()).isEqualTo("TokenRotator.StacksNeedAttention");
        assertThat(fail.path("CausePath").asText()).isEqualTo("$.cause");
    }

    @Test
    void aDryRunStopsAfterFindStacks() {
        assertThat(asl.path("StartAt").asText()).isEqualTo("Find Stacks");
        assertThat(asl.path("States").path("Find Stacks").path("Next").asText()).isEqualTo("Dry Run?");
        JsonNode dry = asl.path("States").path("Dry Run?").path("Choices").get(0);
        assertThat(dry.path("Variable").asText()).isEqualTo("$.dryRun");
        assertThat(asl.path("States").path(dry.path("Next").asText()).path("Type").asText()).isEqualTo("Succeed");
    }

    private static JsonNode retryFor(JsonNode state, String error) {
        for (JsonNode r : state.path("Retry")) {
            for (JsonNode e : r.path("ErrorEquals")) {
                if (e.asText().equals(error)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no Retry for " + error + " in " + state);
    }
}
