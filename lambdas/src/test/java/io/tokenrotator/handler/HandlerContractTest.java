package io.tokenrotator.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.errors.StackBusyException;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.FindStacksService;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.service.RunResultsService;
import io.tokenrotator.service.StackStatusService;
import io.tokenrotator.service.StartRotationService;
import io.tokenrotator.service.UpdateStackService;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.store.InMemoryRunStore;
import io.tokenrotator.testing.SimulatedAws;
import io.tokenrotator.wiring.RotatorFunction;
import io.tokenrotator.wiring.Wiring;
import io.tokenrotator.simulator.ConsumerTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The handlers as Lambda calls them: JSON bytes in, JSON bytes out, errors thrown unwrapped. */
class HandlerContractTest {
    private final SimulatedAws aws = new SimulatedAws();
    private final JsonLog quiet = new JsonLog(new PrintStream(OutputStream.nullOutputStream()));
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final FindStacksHandler find = new FindStacksHandler(new FindStacksService(aws.cloudFormationPort(),
            aws.secretsPort(), store, quiet), InputRules.Defaults.NONE);
    private final UpdateStackHandler update = new UpdateStackHandler(new UpdateStackService(aws.cloudFormationPort(),
            aws.runStore(), aws.leases, quiet));
    private final StackStatusHandler status = new StackStatusHandler(new StackStatusService(aws.cloudFormationPort(), aws.clock.asJavaClock()));
    private final RunResultsService results = new RunResultsService(store, aws.leases, quiet);
    private final LoadPlannedStackHandler load = new LoadPlannedStackHandler(results);
    private final RecordResultHandler record = new RecordResultHandler(results);
    private final SummarizeHandler summarize = new SummarizeHandler(results);
    private final StartRotationHandler startRotation = new StartRotationHandler(new StartRotationService(
            aws.secretsPort(), new io.tokenrotator.port.ExecutionStarter() {
                @Override
                public Started start(String name, String inputJson) {
                    throw new AssertionError("no execution may start");
                }

                @Override
                public java.util.Optional<String> status(String name) {
                    throw new AssertionError("no execution may be looked up");
                }
            }, io.tokenrotator.service.WatchedSecrets.fromEnvironment(Map.of(io.tokenrotator.service.WatchedSecrets.VARIABLE,
                    "[{\"arn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-token\", \"exact\": false}]")::get),
            quiet));
    private final String stackId;

    HandlerContractTest() {
        aws.secrets.createSecret("prod/api-token", "s3cr3t-value-1");
        stackId = aws.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating("prod/api-token"), Map.of()));
    }

    @AfterEach
    void close() {
        aws.close();
    }

    private static JsonNode invoke(JsonHandler<?, ?> handler, String json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    @Test
    void findStacksSpeaksTheDocumentedContract() throws Exception {
        JsonNode out = invoke(find, """
            {"runId": "exec-1", "request": {"secretId": "prod/api-token", "stackNamePrefix": "app", "dryRun": true}}""");

        assertThat(out.path("runId").asText()).isEqualTo("exec-1");
        assertThat(out.path("parameterName").asText()).isEqualTo("RotateToken");
        assertThat(out.path("secret").path("name").asText()).isEqualTo("prod/api-token");
        assertThat(out.path("toRotateCount").asInt()).isEqualTo(1);
        assertThat(out.path("items").toString()).isEqualTo("[0]");
        assertThat(out.path("toRotatePreview").toString()).isEqualTo("[\"app\"]");
        assertThat(out.path("planLocation").asText()).isEqualTo("memory://runs/exec-1/plan.json");
        assertThat(out.has("ignoredReason")).isFalse();
    }

    @Test
    void updateAndStatusSpeakTheDocumentedContract() throws Exception {
        String stack = "{\"stackName\": \"app\", \"stackId\": \"" + stackId + "\"}";
        JsonNode updated = invoke(update, "{\"runId\": \"exec-1\", \"stack\": " + stack + ", \"target\": \"false\"}");
        assertThat(updated.path("result").asText()).isEqualTo("UPDATE_STARTED");
        assertThat(updated.path("previousValue").asText()).isEqualTo("true");
        assertThat(updated.path("target").asText()).isEqualTo("false");
        assertThat(updated.path("clientRequestToken").asText()).startsWith("tr-off-0-");

        aws.advance(Duration.ofMinutes(5));
        JsonNode settled = invoke(status, "{\"stack\": " + stack + "}");
        assertThat(settled.path("status").asText()).isEqualTo("UPDATE_COMPLETE");
        assertThat(settled.path("classification").asText()).isEqualTo("SETTLED");
        assertThat(settled.path("parameterValue").asText()).isEqualTo("false");
        assertThat(settled.has("statusReason")).isFalse();
    }

    @Test
    void findStacksAlsoTakesTheRequestFieldsAtTheTopLevel() throws Exception {
        JsonNode out = invoke(find, "{\"parameterName\": \"RotateToken\", \"secretId\": \"prod/api-token\","
                + " \"stackNamePrefix\": \"app\", \"selection\": \"referencing\"}");

        assertThat(out.path("runId").asText()).startsWith("run-");
        assertThat(out.path("toRotatePreview").toString()).isEqualTo("[\"app\"]");
        assertThatThrownBy(() -> invoke(find, "{\"stackPrefix\": \"app\"}"))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("stackPrefix");
    }

    @Test
    void aStackMayBeGivenByNameOrArnAsAPlainString() throws Exception {
        JsonNode byName = invoke(status, "{\"stack\": \"app\"}");
        assertThat(byName.path("stackId").asText()).isEqualTo(stackId);
        assertThat(byName.path("classification").asText()).isEqualTo("SETTLED");

        JsonNode updated = invoke(update, "{\"runId\": \"exec-1\", \"stack\": \"app\", \"target\": \"false\"}");
        assertThat(updated.path("stackId").asText()).isEqualTo(stackId);
        assertThat(updated.path("result").asText()).isEqualTo("UPDATE_STARTED");
        assertThat(aws.cloudFormation.inspect("app").calls().get(0).stackName()).isEqualTo(stackId);

        JsonNode byArn = invoke(status, "{\"stack\": \"" + stackId + "\"}");
        assertThat(byArn.path("stackName").asText()).isEqualTo("app");
        assertThatThrownBy(() -> invoke(status, "{\"stack\": \"not a stack!\"}"))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("stack.stackName");
    }

    @Test
    void anUnknownFieldIsRejectedByName() {
        assertThatThrownBy(() -> invoke(find, "{\"runId\": \"exec-1\", \"request\": {\"stackPrefix\": \"app\"}}"))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("request.stackPrefix")
                .hasMessageContaining("stackNamePrefix");
    }

    @Test
    void malformedJsonIsRejectedClearly() {
        assertThatThrownBy(() -> invoke(update, "{\"runId\": \"exec-1\", \"attempt\": \"first\"}"))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("attempt");
        assertThatThrownBy(() -> invoke(status, ""))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("input");
    }

    @Test
    void errorsLeaveTheHandlerUnwrappedSoTheirClassNameReachesStepFunctions() {
        aws.cloudFormation.occupy("app", Duration.ofMinutes(1));
        String input = "{\"runId\": \"exec-1\", \"stack\": {\"stackId\": \"" + stackId + "\"}, \"target\": \"false\"}";

        assertThatThrownBy(() -> invoke(update, input)).isExactlyInstanceOf(StackBusyException.class)
                .hasNoCause();
    }

    @Test
    void invalidDeploymentDefaultsFailAtStartNamingTheVariable() {
        assertThatThrownBy(() -> new FindStacksHandler(null, new InputRules.Defaults("Rotate-Token", null, null)))
                .hasMessageContaining("PARAMETER_NAME");
        assertThatThrownBy(() -> new FindStacksHandler(null, new InputRules.Defaults(null, null, "everything")))
                .hasMessageContaining("SELECTION");
    }

    /** Runs {@code work} with the SDK's region, credentials and endpoint set as Lambda's environment sets them. */
    private void withSdkEnvironment(ThrowingRunnable work) throws Exception {
        Map<String, String> settings = Map.of("aws.endpointUrl", aws.server.endpoint().toString(),
                "aws.region", "us-east-1", "aws.accessKeyId", "local", "aws.secretAccessKey", "local");
        settings.forEach(System::setProperty); // the SDK reads these as it reads AWS_ENDPOINT_URL, AWS_REGION, ...
        try {
            work.run();
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void theStackStatusNoArgConstructorTakesRegionCredentialsAndEndpointFromTheEnvironment() throws Exception {
        withSdkEnvironment(() -> {
            JsonNode out = invoke(new StackStatusHandler(), "{\"stack\": {\"stackId\": \"" + stackId + "\"}}");
            assertThat(out.path("status").asText()).isEqualTo("CREATE_COMPLETE");
            assertThat(out.path("stackName").asText()).isEqualTo("app");
        });
    }

    @Test
    void everyFunctionsHandlerHasThePublicNoArgConstructorLambdaCallsAndItNamesAMissingVariable() throws Exception {
        withSdkEnvironment(() -> {
            for (RotatorFunction function : RotatorFunction.values()) {
                Throwable thrown = catchThrowable(() -> function.handler().getConstructor().newInstance());
                String needed = switch (function) {
                    case STACK_STATUS -> null;
                    case START_ROTATION -> "STATE_MACHINE_ARN";
                    default -> "RUN_BUCKET";
                };
                if (needed == null) {
                    assertThat(thrown).as(function.id()).isNull();
                } else {
                    assertThat(thrown).as(function.id()).isInstanceOf(InvocationTargetException.class);
                    assertThat(thrown.getCause()).as(function.id()).isExactlyInstanceOf(IllegalStateException.class)
                            .hasMessageStartingWith("environment variable " + needed + " is not set");
                }
            }
        });
    }

    @Test
    void wiringBuildsEveryFunctionsHandlerFromItsEnvironmentAndRefusesBadDeploymentSettingsAtStart() throws Exception {
        withSdkEnvironment(() -> {
            Map<String, String> env = Map.of("RUN_BUCKET", "runs", "STATE_MACHINE_ARN",
                    "arn:aws:states:us-east-1:123456789012:stateMachine:rotation", "WATCHED_SECRETS", "[{\"arn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-token\", \"exact\": false}]",
                    "AWS_REGION", "us-east-1", "POLL_SECONDS", "30", "MANAGED_CREDENTIALS",
                    "[{\"secretId\": \"prod/deploy-key\", \"userName\": \"deploy-bot\"}]");
            Wiring wiring = new Wiring(io.tokenrotator.aws.AwsClients.fromEnvironment(), env::get,
                    java.time.Clock.systemUTC(), quiet);
            for (RotatorFunction function : RotatorFunction.values()) {
                assertThat(wiring.handler(function)).as(function.id()).isExactlyInstanceOf(function.handler());
            }
            assertThat(wiring.findStacksDefaults().settings().get(io.tokenrotator.settings.Setting.POLL_SECONDS))
                    .isEqualTo(30);
            Wiring badSettings = new Wiring(io.tokenrotator.aws.AwsClients.fromEnvironment(),
                    Map.of("RUN_BUCKET", "runs", "MAX_CONCURRENCY", "0")::get, java.time.Clock.systemUTC(), quiet);
            assertThatThrownBy(() -> badSettings.handler(RotatorFunction.FIND_STACKS))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("environment variable MAX_CONCURRENCY: expected an integer from 1 to 10000, got \"0\"");
        });
    }

    // ---------------------------------------------------------------- bad input (issue 8, section 2b)

    private static String rejection(JsonHandler<?, ?> handler, String json) {
        Throwable thrown = catchThrowable(() -> invoke(handler, json));
        assertThat(thrown).as("input %s threw %s", json.length() > 200 ? json.substring(0, 200) + "..." : json,
                        String.valueOf(thrown).substring(0, Math.min(300, String.valueOf(thrown).length())))
                .isNotNull();
        assertThat(thrown).as("input %s", json.length() > 200 ? json.substring(0, 200) + "..." : json)
                .isExactlyInstanceOf(InvalidInputException.class).hasNoCause();
        return thrown.getMessage();
    }

    private void assertNothingWasDone() {
        assertThat(aws.server.callCounts()).as("calls the simulator received").isEmpty();
        assertThat(catchThrowable(() -> store.plan("exec-1")))
                .as("no plan was stored").isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aNullOrEmptyBodyIsRejectedByEveryHandlerBeforeAnyWork() {
        List<JsonHandler<?, ?>> handlers = List.of(find, update, status, load, record, summarize, startRotation);
        for (JsonHandler<?, ?> handler : handlers) {
            assertThat(rejection(handler, "null")).as(handler.getClass().getSimpleName())
                    .isEqualTo("invalid input: input: expected a JSON object, got null");
            assertThat(rejection(handler, "")).isEqualTo("invalid input: input: expected a JSON object, got nothing");
            assertThat(rejection(handler, " \n ")).isEqualTo("invalid input: input: expected a JSON object, got nothing");
            assertThat(rejection(handler, "[]")).isEqualTo("invalid input: input: expected a JSON object, got an array");
            assertThat(rejection(handler, "\"app\"")).isEqualTo("invalid input: input: expected a JSON object, got \"app\"");
        }
        assertNothingWasDone();
    }

    @Test
    void anEmptyObjectAsksFindStacksForTheDefaults() throws Exception {
        JsonNode out = invoke(find, "{}");

        assertThat(out.path("runId").asText()).startsWith("run-");
        assertThat(out.path("parameterName").asText()).isEqualTo("RotateToken");
        assertThat(out.path("toRotatePreview").toString()).isEqualTo("[\"app\"]");
    }

    @Test
    void numbersStringsAndBooleansAreNotCoercedAndTheMessageGivesPathAndRange() {
        assertThat(rejection(find, "{\"runId\": \"exec-1\", \"request\": {\"maxConcurrency\": 2.7}}"))
                .isEqualTo("invalid input: request.maxConcurrency: expected an integer from 1 to 10000, got 2.7");
        assertThat(rejection(find, "{\"runId\": \"exec-1\", \"request\": {\"maxConcurrency\": \"3\"}}"))
                .isEqualTo("invalid input: request.maxConcurrency: expected an integer from 1 to 10000, got \"3\"");
        assertThat(rejection(find, "{\"maxConcurrency\": 1e3}"))
                .isEqualTo("invalid input: maxConcurrency: expected an integer from 1 to 10000, got 1e3");
        assertThat(rejection(find, "{\"maxConcurrency\": 99999999999}"))
                .isEqualTo("invalid input: maxConcurrency: expected an integer from 1 to 10000, got 99999999999");
        assertThat(rejection(find, "{\"runId\": \"exec-1\", \"request\": {\"dryRun\": 1}}"))
                .isEqualTo("invalid input: request.dryRun: expected true or false, got 1");
        assertThat(rejection(find, "{\"dryRun\": \"true\"}"))
                .isEqualTo("invalid input: dryRun: expected true or false, got \"true\"");
        assertThat(rejection(find, "{\"secretId\": 42}")).startsWith("invalid input: secretId: expected a secret name")
                .endsWith(", got 42");
        assertThat(rejection(update, "{\"runId\": \"exec-1\", \"stack\": \"app\", \"target\": true}"))
                .isEqualTo("invalid input: target: expected \"true\" or \"false\" (RotateToken), or a secret version id of 32-64 characters without spaces (TokenVersion), got true");
        assertThat(rejection(update, "{\"runId\": \"exec-1\", \"stack\": \"app\", \"target\": \"false\", \"attempt\": 1.0}"))
                .isEqualTo("invalid input: attempt: expected an integer from 0 to 99, got 1.0");
        assertThat(rejection(update, "{\"runId\": \"exec-1\", \"stack\": 7, \"target\": \"false\"}"))
                .startsWith("invalid input: stack: expected a stack name, a stack ARN or {").endsWith(", got 7");
        assertThat(rejection(load, "{\"runId\": \"exec-1\", \"index\": \"0\"}"))
                .isEqualTo("invalid input: index: expected an integer of at least 0, got \"0\"");
        assertThat(rejection(record, "{\"runId\": \"exec-1\", \"index\": 0, \"ending\": 0}"))
                .startsWith("invalid input: ending: expected one of ROTATED, NO_RESOURCE_CHANGE, PHASE1_FAILED")
                .endsWith(", got 0");
        assertThat(rejection(record, "{\"runId\": \"exec-1\", \"index\": 0, \"ending\": \"ROTATED\","
                + " \"polls\": {\"count\": null}}"))
                .isEqualTo("invalid input: polls.count: expected an integer of at least 0, got null");
        assertThat(rejection(record, "{\"runId\": \"exec-1\", \"index\": 0, \"ending\": \"ROTATED\","
                + " \"status\": {\"classification\": \"settled\"}}"))
                .isEqualTo("invalid input: status.classification: expected one of IN_PROGRESS, SETTLED, ROLLED_BACK,"
                        + " FAILED, DELETED, got \"settled\"");
        assertNothingWasDone();
    }

    @Test
    void malformedJsonTrailingDataAndRepeatedFieldsAreRejected() {
        assertThat(rejection(summarize, "{\"runId\": \"exec-1\"} {\"runId\": \"exec-2\"}"))
                .isEqualTo("invalid input: input: expected a single JSON object, got more JSON after it");
        assertThat(rejection(update, "{\"target\": \"true\", \"target\": \"false\"}"))
                .isEqualTo("invalid input: input: is not valid JSON (line 1, column 28): Duplicate field 'target'");
        assertThat(rejection(find, "{\"maxConcurrency\": NaN}"))
                .isEqualTo("invalid input: input: is not valid JSON (line 1, column 23): Non-standard token 'NaN'");
        assertThat(rejection(status, "{\"stack\": \"app\",}")).startsWith("invalid input: input: is not valid JSON (line 1, column 17): ");
        assertNothingWasDone();
    }

    @Test
    void anUnknownFieldIsNamedWithTheFieldsThatAreKnown() {
        assertThat(rejection(find, "{\"runId\": \"exec-1\", \"request\": {\"stackPrefix\": \"app\"}}"))
                .isEqualTo("invalid input: request.stackPrefix: is not a known field; expected one of dryRun,"
                        + " maxConcurrency, parameterName, secretId, selection, stackNamePrefix, versionId");
    }

    @Test
    void aHugeBadValueIsQuotedShortlyWithItsLength() {
        String huge = "x".repeat(300_000);
        List<String> messages = List.of(
                rejection(find, "{\"stackNamePrefix\": \"-" + huge + "\"}"),
                rejection(find, "{\"runId\": \"exec-1\", \"request\": {\"maxConcurrency\": \"" + huge + "\"}}"),
                rejection(find, "{\"" + "x".repeat(40_000) + "\": 1}"),
                rejection(update, "{\"runId\": \"exec-1\", \"stack\": \"" + huge + "!\", \"target\": \"false\"}"),
                rejection(update, "{\"runId\": \"exec-1\", \"stack\": \"app\", \"target\": \"" + huge + "\"}"),
                rejection(status, "{\"stack\": {\"stackId\": \"arn:" + huge + "\"}}"),
                rejection(summarize, "{\"runId\": \"" + huge + "\"}"),
                rejection(status, "{\"stack\": \"app\", \"parameterName\": " + "1".repeat(500) + "}"),
                rejection(status, "{\"stack\": \"app\", \"parameterName\": \"" + huge + "}"),
                rejection(find, "{\"" + huge + "\": 1}"));
        for (String message : messages) {
            assertThat(message.length()).as(message.substring(0, Math.min(120, message.length()))).isLessThan(600);
        }
        assertThat(messages.get(0)).startsWith("invalid input: stackNamePrefix: expected the start of a stack name")
                .endsWith(", got \"-" + "x".repeat(99) + "...\" (300001 characters)");
        assertThat(messages.get(1)).isEqualTo("invalid input: request.maxConcurrency: expected an integer from 1 to"
                + " 10000, got \"" + "x".repeat(100) + "...\" (300000 characters)");
        assertThat(messages.get(2)).startsWith("invalid input: " + "x".repeat(100) + "... (40000 characters): is not a"
                + " known field");
        assertThat(messages.get(3)).startsWith("invalid input: stack.stackName: expected a stack name");
        assertThat(messages.get(7)).endsWith(", got " + "1".repeat(100) + "... (500 characters)");
        assertNothingWasDone();
    }

    @Test
    void everyFieldOfEveryContractIsCheckedForShapeAndRange() {
        String settings = "\"settings\": {\"maxConcurrency\": 40, \"pollSeconds\": 20, \"maxPolls\": 270,"
                + " \"restoreAttempts\": 3, \"restoreDelaySeconds\": 60, \"updateStackRate\": 1}";
        String secretName = "a secret name (1-512 of A-Z a-z 0-9 / _ + = . @ -) or a Secrets Manager secret ARN, at"
                + " most 2048 characters";
        String stackName = "a stack name: a letter, then letters, digits and hyphens, at most 128 characters";
        String runId = "an execution name: 1-80 characters without spaces, brackets, ? * \" # % \\ ^ | ~ ` $ & , ; : or /";
        String longArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + "a".repeat(2000);
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        // Find Stacks
        expected.put("find {\"secretId\": \"\"}", "secretId: expected " + secretName + ", got \"\"");
        expected.put("find {\"secretId\": \"" + longArn + "\"}", "secretId: expected " + secretName + ", got \""
                + longArn.substring(0, 100) + "...\" (2053 characters)");
        expected.put("find {\"secretId\": \"prod/api-token\", \"versionId\": \"" + "a".repeat(31) + "\"}",
                "versionId: expected a secret version id: 32-64 characters without spaces, got \"" + "a".repeat(31) + "\"");
        expected.put("find {\"secretId\": \"prod/api-token\", \"versionId\": \"" + "a".repeat(65) + "\"}",
                "versionId: expected a secret version id: 32-64 characters without spaces, got \"" + "a".repeat(65) + "\"");
        expected.put("find {\"versionId\": \"" + "a".repeat(32) + "\"}",
                "versionId: needs secretId: a version belongs to a secret");
        expected.put("find {\"stackNamePrefix\": \"\"}", "stackNamePrefix: expected the start of a stack name: a"
                + " letter, then letters, digits and hyphens, at most 128 characters, got \"\"");
        expected.put("find {\"runId\": \"exec-1\", \"request\": {\"selection\": \"ALL\"}}",
                "request.selection: expected \"all\" or \"referencing\", got \"ALL\"");
        expected.put("find {\"selection\": \"referencing\"}", "selection: \"referencing\" needs secretId: it keeps"
                + " the stacks whose template references that secret");
        expected.put("find {\"parameterName\": \"Rotate-Token\"}", "parameterName: expected a CloudFormation parameter"
                + " name: 1-255 letters and digits, got \"Rotate-Token\"");
        expected.put("find {\"parameterName\": \"" + "P".repeat(256) + "\"}", "parameterName: expected a"
                + " CloudFormation parameter name: 1-255 letters and digits, got \"" + "P".repeat(100)
                + "...\" (256 characters)");
        expected.put("find {\"runId\": \"a/b\"}", "runId: expected " + runId + ", got \"a/b\"");
        expected.put("find {\"runId\": \"" + "r".repeat(81) + "\"}", "runId: expected " + runId + ", got \""
                + "r".repeat(81) + "\"");
        expected.put("find {\"maxConcurrency\": 0}", "maxConcurrency: expected an integer from 1 to 10000, got 0");
        expected.put("find {\"maxConcurrency\": 10001}", "maxConcurrency: expected an integer from 1 to 10000, got 10001");
        // Update Stack and Stack Status
        String id = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1";
        expected.put("update {\"runId\": \"exec-1\", \"stack\": \"app\", \"target\": \"false\", \"attempt\": -1}",
                "attempt: expected an integer from 0 to 99, got -1");
        expected.put("update {\"runId\": \"exec-1\", \"stack\": \"app\", \"target\": \"false\", \"attempt\": 100}",
                "attempt: expected an integer from 0 to 99, got 100");
        expected.put("update {\"runId\": \"exec-1\", \"stack\": \"app\", \"target\": \"TRUE\"}",
                "target: expected \"true\" or \"false\" (RotateToken), or a secret version id of 32-64 characters without spaces (TokenVersion), got \"TRUE\"");
        expected.put("update {\"runId\": \"exec-1\", \"stack\": \"app\"}", "target: is required; expected \"true\" or \"false\" (RotateToken), or a secret version id of 32-64 characters without spaces (TokenVersion)");
        expected.put("update {\"stack\": \"app\", \"target\": \"false\"}", "runId: is required; expected " + runId);
        expected.put("update {\"runId\": \"exec-1\", \"stack\": {\"stackName\": \"bad name\", \"stackId\": \"" + id
                + "\"}, \"target\": \"false\"}", "stack.stackName: expected " + stackName + ", got \"bad name\"");
        expected.put("status {\"stack\": {\"stackId\": \"arn:aws:cloudformation:us-east-1:123456789012:stack/app\"}}",
                "stack.stackId: expected a CloudFormation stack ARN (arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>),"
                        + " got \"arn:aws:cloudformation:us-east-1:123456789012:stack/app\"");
        expected.put("status {\"stack\": \"app\", \"parameterName\": \"\"}", "parameterName: expected a CloudFormation"
                + " parameter name: 1-255 letters and digits, got \"\"");
        expected.put("status {\"stack\": {}}", "stack: is required; expected a stack name, a stack ARN or {\"stackName\":"
                + " ..., \"stackId\": ...}");
        // Load Planned Stack, Record Result, Summarize
        expected.put("load {\"runId\": \"exec-1\", \"index\": -1}", "index: expected an integer of at least 0, got -1");
        expected.put("load {\"runId\": \"exec-1\"}", "index: is required; expected an integer of at least 0");
        expected.put("record {\"runId\": \"exec-1\", \"index\": 0}", "ending: is required; expected where the"
                + " stack's path through the workflow ended, e.g. \"ROTATED\"");
        expected.put("record {\"runId\": \"exec-1\", \"index\": 0, \"ending\": \"ROTATED\", "
                + settings.replace("\"maxConcurrency\": 40", "\"maxConcurrency\": 0") + "}",
                "settings.maxConcurrency: expected an integer from 1 to 10000, got 0");
        expected.put("record {\"runId\": \"exec-1\", \"index\": 0, \"ending\": \"ROTATED\", "
                + settings.replace("\"pollSeconds\": 20", "\"pollSeconds\": 0") + "}",
                "settings.pollSeconds: expected an integer from 1 to 3600, got 0");
        expected.put("record {\"runId\": \"exec-1\", \"index\": 0, \"ending\": \"ROTATED\", "
                + settings.replace("\"updateStackRate\": 1", "\"updateStackRate\": 0") + "}",
                "settings.updateStackRate: expected an integer from 1 to 100, got 0");
        expected.put("record {\"runId\": \"exec-1\", \"index\": 0, \"ending\": \"ROTATED\", "
                + settings.replace("}", ", \"restoreDelaysSeconds\": [60, 120]}") + "}",
                "settings.restoreDelaysSeconds: expected [60, 120, 240] (one per restore attempt, doubling from"
                        + " restoreDelaySeconds, at most 900), got \"[60, 120]\"");
        expected.put("update {\"runId\": \"exec-1\", \"stack\": \"app\", \"target\": \"false\", "
                + settings.replace("\"maxPolls\": 270", "\"maxPolls\": 0") + "}",
                "settings.maxPolls: expected an integer from 1 to 86400, got 0");
        expected.put("record {\"runId\": \"exec-1\", \"index\": 0, \"ending\": \"ROTATED\","
                + " \"restore\": {\"attempt\": -1, \"delaySeconds\": 60}}",
                "restore.attempt: expected an integer from 0 to 99, got -1");
        expected.put("record {\"runId\": \"exec-1\", \"index\": 0, \"ending\": \"ROTATED\", \"stack\": \"-app\"}",
                "stack.stackName: expected " + stackName + ", got \"-app\"");
        expected.put("summarize {\"runId\": \"\"}", "runId: expected " + runId + ", got \"\"");

        Map<String, JsonHandler<?, ?>> handlers = Map.of("find", find, "update", update, "status", status, "load", load,
                "record", record, "summarize", summarize);
        expected.forEach((call, message) -> {
            String name = call.substring(0, call.indexOf(' '));
            assertThat(rejection(handlers.get(name), call.substring(name.length() + 1))).as(call)
                    .isEqualTo("invalid input: " + message);
        });
        assertNothingWasDone();
    }

    @Test
    void valuesAwsAcceptsAreAcceptedAtTheEdgesOfTheirRanges() throws Exception {
        // any 32 to 64 characters pass the shape check; then the version must be one the secret has
        assertThat(rejection(find, "{\"runId\": \"rotation.2026-01-01\", \"request\": {\"secretId\":"
                + " \"prod/api-token\", \"versionId\": \"" + "v_".repeat(16) + "\", \"dryRun\": true}}"))
                .startsWith("invalid input: versionId: \"v_v_v_").contains("is not a version of secret");
        String current = aws.secrets.describeOrThrow("prod/api-token").versionWithStage("AWSCURRENT");
        JsonNode anyVersion = invoke(find, "{\"runId\": \"rotation.2026-01-01\", \"request\": {\"secretId\":"
                + " \"prod/api-token\", \"versionId\": \"" + current + "\", \"maxConcurrency\": 10000,"
                + " \"dryRun\": true}}");
        assertThat(anyVersion.path("runId").asText()).isEqualTo("rotation.2026-01-01");
        assertThat(anyVersion.path("settings").path("maxConcurrency").asInt()).isEqualTo(10000);

        JsonNode oneAtATime = invoke(find, "{\"maxConcurrency\": 1, \"selection\": \"all\", \"stackNamePrefix\": \"a\"}");
        assertThat(oneAtATime.path("settings").path("maxConcurrency").asInt()).isEqualTo(1);
        assertThat(oneAtATime.path("toRotatePreview").toString()).isEqualTo("[\"app\"]");

        JsonNode lastAttempt = invoke(update, "{\"runId\": \"exec-1\", \"stack\": {\"stackName\": \"app\", \"stackId\": \""
                + stackId + "\"}, \"target\": \"false\", \"attempt\": 99}");
        assertThat(lastAttempt.path("clientRequestToken").asText()).startsWith("tr-off-99-");
    }

    @Test
    void everyInvalidInputMessageStaysFarBelowTheStepFunctionsCauseLimit() {
        String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + "p".repeat(300_000);
        String message = rejection(startRotation, "{\"detail-type\": \"AWS API Call via CloudTrail\", \"detail\":"
                + " {\"eventName\": \"PutSecretValue\", \"responseElements\": {\"arn\": \"" + arn + "\"}}}");

        assertThat(message).startsWith("invalid input: detail: ").endsWith(" characters)");
        assertThat(message.length()).isLessThan(1_200); // Step Functions keeps at most 32,768 characters of a cause
    }
}
