package io.tokenrotator.cli.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.contract.CycleRequest;
import io.tokenrotator.credential.ManagedCredential;
import io.tokenrotator.credential.ManagedCredentials;
import io.tokenrotator.json.Json;
import io.tokenrotator.wiring.ResourceArns;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.simulator.ParameterStoreModel;
import io.tokenrotator.simulator.S3Model;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.simulator.SimClock;
import io.tokenrotator.simulator.SimulatorServer;
import io.tokenrotator.store.S3RunStore;
import io.tokenrotator.wiring.Permissions;
import io.tokenrotator.wiring.RotatorFunction;
import io.tokenrotator.wiring.Wiring;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a local run needs, in one JVM and one Node process: the simulated CloudFormation and Secrets Manager
 * on 127.0.0.1 (real wire protocols, a clock running {@code timeScale} times real time), the real handlers behind
 * the Lambda Invoke API, and statemachine/token-rotator.asl.json executed by aws-local-stepfunctions with every
 * Task routed to those handlers. Each handler signs its calls as its own function and has exactly the permissions
 * {@link RotatorFunction} declares: a call outside them is refused with AccessDenied, as in AWS. Runs keep their
 * plans, results and reports in the simulator's S3, through the production {@link S3RunStore}.
 */
public final class LocalEnvironment implements AutoCloseable {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)FunctionArn}");
    private static final Pattern ANY_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9]+)}");
    /** The rotation workflow, under statemachine/. */
    public static final String ROTATION_DEFINITION = "token-rotator.asl.json";
    /** The credential lifecycle workflow, under statemachine/. */
    public static final String LIFECYCLE_DEFINITION = "credential-lifecycle.asl.json";
    public static final String LIFECYCLE_ARN = "arn:aws:states:" + LocalPermissions.REGION + ":"
            + LocalPermissions.ACCOUNT + ":stateMachine:TokenRotator-lifecycle";
    static final String STATE_MACHINE_ARN = "arn:aws:states:" + LocalPermissions.REGION + ":"
            + LocalPermissions.ACCOUNT + ":stateMachine:TokenRotator-rotation";
    static final String RUN_BUCKET = "token-rotator-runs-local";
    /** The simulated home account: where the deployment runs. */
    public static final String HOME_ACCOUNT = LocalPermissions.ACCOUNT;

    public final double timeScale;
    public final SimClock.Scaled clock;
    public final SecretsManagerModel secrets = new SecretsManagerModel(LocalPermissions.REGION, LocalPermissions.ACCOUNT);
    public final ParameterStoreModel parameters = new ParameterStoreModel(LocalPermissions.REGION, LocalPermissions.ACCOUNT);
    public final S3Model s3;
    public final CloudFormationModel cloudFormation;
    public final IamModel iam = new IamModel();
    public final SimulatorServer simulator;
    /** The run bucket as the operator (full access) reads it: plans and reports for verification. */
    public final S3RunStore store;
    public final LocalLambdaServer lambdas;
    private final ByteArrayOutputStream logBuffer = new ByteArrayOutputStream();
    private final PrintStream logStream = new PrintStream(logBuffer, true, StandardCharsets.UTF_8);
    private final Path root;
    /** The credentials this environment manages (the lifecycle's functions are deployed when there are any). */
    public final List<ManagedCredential> managed;
    /** Extra environment for the Node process (tests use it to break the runtime on purpose). */
    public final Map<String, String> extraNodeEnvironment = new LinkedHashMap<>();
    /** The accounts and regions besides home ({@link LocalTargets#HOME_ONLY} for the single-account setup). */
    public final LocalTargets targets;
    /** The functions that act in target accounts, with the target role there. */
    static final List<RotatorFunction> TARGETED = List.of(RotatorFunction.FIND_STACKS, RotatorFunction.UPDATE_STACK,
            RotatorFunction.STACK_STATUS);
    private final Map<RotatorFunction, Map<String, String>> environments = new EnumMap<>(RotatorFunction.class);
    /** Runs the executions that StartExecution calls start through the simulator (see {@link #runExecutionsOf}). */
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-execution");
        t.setDaemon(true);
        return t;
    });
    private final List<CompletableFuture<ExecutionResult>> backgroundRuns = new CopyOnWriteArrayList<>();

    public LocalEnvironment(double timeScale, InputRules.Defaults defaults) {
        this(timeScale, defaults, Permissions.declared());
    }

    /** A local environment whose functions have {@code permissions} (tests take one away to show it is needed). */
    public LocalEnvironment(double timeScale, InputRules.Defaults defaults, Permissions permissions) {
        this(timeScale, defaults, permissions, List.of());
    }

    /**
     * A local environment that also manages {@code managed} credentials: the credential lifecycle's functions are
     * deployed (with the environment and permissions the construct gives them) and the lifecycle state machine
     * runs its executions ({@link #runLifecycle}, or a StartExecution through the simulator).
     */
    public LocalEnvironment(double timeScale, InputRules.Defaults defaults, Permissions permissions,
                            List<ManagedCredential> managed) {
        this(timeScale, defaults, permissions, managed, LocalTargets.HOME_ONLY);
    }

    /**
     * A local organization (issue 12): besides home, {@code targets}' accounts x regions, each its own simulated
     * CloudFormation. Each target account has the role {@value LocalTargets#ROLE_NAME}, trusted by the roles of Find
     * Stacks, Update Stack and Stack Status and allowed exactly their grants that act on stacks (kinds ANY, STACKS,
     * ALL_STACKS, SSM_PARAMETERS, TRANSFORMS, resolved for that account in every region) and the reading of the run
     * bucket's templates/ (CloudFormation fetches a TemplateURL with the caller's credentials: the target role's).
     * Those three functions get {@code TARGETS}, {@code HOME_ACCOUNT} and {@code AWS_PARTITION}, and may
     * sts:AssumeRole the target roles.
     */
    public LocalEnvironment(double timeScale, InputRules.Defaults defaults, Permissions permissions,
                            List<ManagedCredential> managed, LocalTargets targets) {
        this.timeScale = timeScale;
        this.managed = List.copyOf(managed);
        this.targets = targets;
        this.root = projectRoot();
        this.clock = new SimClock.Scaled(timeScale);
        this.s3 = new S3Model(clock);
        s3.createBucket(RUN_BUCKET);
        this.cloudFormation = new CloudFormationModel(clock, secrets, parameters, s3, LocalPermissions.REGION,
                LocalPermissions.ACCOUNT);
        LocalPermissions.register(iam, permissions,
                LocalPermissions.arns(defaults.stackNamePrefix(), RUN_BUCKET, STATE_MACHINE_ARN).withLifecycle(
                        new ResourceArns.Lifecycle(managed.stream().map(ManagedCredential::userName).toList(),
                                managed.stream().map(c -> "arn:aws:secretsmanager:" + LocalPermissions.REGION + ":"
                                        + LocalPermissions.ACCOUNT + ":secret:" + c.secretId() + "-??????").toList(),
                                LIFECYCLE_ARN)).withTargetRoles(targets.roleArns()));
        for (String account : targets.accounts().stream().distinct().toList()) {
            LocalPermissions.registerTargetRole(iam, permissions, account, defaults.stackNamePrefix(), RUN_BUCKET,
                    STATE_MACHINE_ARN);
        }
        iam.addAdministrator(AwsClients.LOCAL_ACCESS_KEY_ID, "arn:aws:iam::" + LocalPermissions.ACCOUNT + ":user/operator");
        try {
            this.simulator = new SimulatorServer(cloudFormation, secrets, iam, clock);
            simulator.replicaLag(targets.replicaLag());
            targets.pairs().forEach(t -> simulator.addTarget(t.account(), t.region()));
            runExecutionsOf(STATE_MACHINE_ARN, ROTATION_DEFINITION, Map.of()); // what Start Rotation starts
            AwsClients operator = AwsClients.local(simulator.endpoint(), timeScale);
            this.store = new S3RunStore(operator.s3(), RUN_BUCKET);
            JsonLog log = new JsonLog(logStream);
            // each function built as in Lambda (Wiring), with its own credentials and the environment the
            // construct gives it: the run bucket, and for Find Stacks the deployment's defaults and settings
            Map<RotatorFunction, RequestStreamHandler> handlers = new EnumMap<>(RotatorFunction.class);
            List<RotatorFunction> deployed = new ArrayList<>(RotatorFunction.workflow());
            if (!managed.isEmpty()) {
                deployed.addAll(RotatorFunction.lifecycle());
            }
            for (RotatorFunction f : deployed) {
                Map<String, String> environment = new LinkedHashMap<>();
                environment.put(S3RunStore.BUCKET_VARIABLE, RUN_BUCKET);
                if (f == RotatorFunction.FIND_STACKS) {
                    environment.putAll(defaults.environment());
                }
                if (!targets.isHomeOnly() && TARGETED.contains(f)) {
                    environment.put("TARGETS", Json.write(targets.environmentValue()));
                    environment.put("HOME_ACCOUNT", LocalPermissions.ACCOUNT);
                    environment.put("AWS_PARTITION", "aws");
                }
                if (f.inLifecycle()) {
                    environment.put(ManagedCredentials.VARIABLE, Json.write(managed));
                    environment.put(Wiring.STATE_MACHINE_ARN, STATE_MACHINE_ARN);
                }
                environments.put(f, Map.copyOf(environment));
                handlers.put(f, new Wiring(operator.as(LocalPermissions.accessKeyId(f)), environment::get,
                        clock.asJavaClock(), log).handler(f));
            }
            Map<String, RequestStreamHandler> routes = new LinkedHashMap<>();
            handlers.forEach((f, handler) -> routes.put(f.id(), handler));
            this.lambdas = new LocalLambdaServer(routes);
            if (!managed.isEmpty()) {
                runExecutionsOf(LIFECYCLE_ARN, LIFECYCLE_DEFINITION, Map.of());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: the launchers (./token-rotator, acceptance/run) and Maven pass it as -Dproject.root. */
    public static Path projectRoot() {
        String configured = System.getProperty("project.root");
        if (configured == null || !Files.isDirectory(Path.of(configured, "statemachine"))) {
            throw new IllegalStateException("cannot find the Token Rotator repository: run through ./token-rotator"
                    + " or acceptance/run (or pass -Dproject.root=<repository>)");
        }
        return Path.of(configured).toAbsolutePath().normalize();
    }

    /** The environment a deployed function was given, as the construct gives it. */
    public Map<String, String> environmentOf(RotatorFunction function) {
        return environments.getOrDefault(function, Map.of());
    }

    /** The CloudFormation of every (account, region), home first: what a run over targets is verified against. */
    public List<CloudFormationModel> allCloudFormation() {
        List<CloudFormationModel> all = new ArrayList<>(List.of(cloudFormation));
        targets.pairs().forEach(t -> all.add(simulator.cloudFormation(t.account(), t.region())));
        return all;
    }

    /** Every line the handlers logged so far. */
    public String logs() {
        return logBuffer.toString(StandardCharsets.UTF_8);
    }

    /** Runs one execution of the credential lifecycle state machine and waits for it to end. */
    public ExecutionResult runLifecycle(String executionName, CycleRequest request) {
        return runDefinition(substitutedDefinition(LIFECYCLE_DEFINITION, Map.of()), LIFECYCLE_ARN, executionName,
                request, ProgressListener.NONE);
    }

    /** Runs one execution of the real rotation state machine and waits for it to end. */
    public ExecutionResult run(String executionName, Object input, ProgressListener progress) {
        return runFile(ROTATION_DEFINITION, Map.of(), executionName, input, progress);
    }

    /**
     * Runs one execution of a definition under statemachine/ (e.g. credential-lifecycle.asl.json) and waits for it
     * to end: each {@code ${<Id>FunctionArn}} becomes this environment's function {@code <Id>}, any other
     * {@code ${Name}} the value {@code substitutions} gives it (a placeholder left unfilled is refused).
     */
    public ExecutionResult runFile(String definitionFile, Map<String, String> substitutions, String executionName,
                                   Object input, ProgressListener progress) {
        return runDefinition(substitutedDefinition(definitionFile, substitutions), executionName, input, progress);
    }

    /**
     * Makes {@code stateMachineArn} a state machine of the simulated Step Functions whose executions really run: a
     * StartExecution through the simulator (a handler's, the CLI's) runs {@code definitionFile} in the background,
     * named and fed as started, and reports the end back, so DescribeExecution moves from RUNNING to SUCCEEDED or
     * FAILED (with the error and cause; a runner that breaks is States.Runtime, naming why).
     */
    public void runExecutionsOf(String stateMachineArn, String definitionFile, Map<String, String> substitutions) {
        String definition = substitutedDefinition(definitionFile, substitutions); // refused now, not per execution
        simulator.stepFunctions().createStateMachine(stateMachineArn);
        simulator.stepFunctions().onStart(stateMachineArn, (name, input, completion) -> backgroundRuns.add(
                CompletableFuture.supplyAsync(() -> {
                    try {
                        ExecutionResult result = runDefinition(definition, stateMachineArn, name,
                                Json.MAPPER.readTree(input),
                                ProgressListener.NONE);
                        if (result.succeeded()) {
                            completion.succeeded(Json.write(result.output()));
                        } else {
                            completion.failed(result.error(), result.cause());
                        }
                        return result;
                    } catch (IOException | RuntimeException e) {
                        completion.failed("States.Runtime", "the local runner could not run " + name + ": " + e);
                        throw new IllegalStateException("background execution " + name + " broke", e);
                    }
                }, background)));
    }

    /**
     * Waits until every execution started in the background so far has ended, and returns how each ended (one
     * whose runner broke is left out; the simulator shows it FAILED).
     */
    public List<ExecutionResult> awaitBackgroundExecutions(java.time.Duration timeout) {
        List<ExecutionResult> results = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (CompletableFuture<ExecutionResult> run : backgroundRuns) {
            try {
                results.add(run.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException broke) {
                // reported to the simulator as FAILED already
            } catch (TimeoutException e) {
                throw new IllegalStateException("background executions still running after " + timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return results;
    }

    /** Runs any definition whose Tasks name this environment's functions (tests use it to probe the runner). */
    public ExecutionResult runDefinition(String definitionJson, String executionName, Object input,
                                         ProgressListener progress) {
        return runDefinition(definitionJson, STATE_MACHINE_ARN, executionName, input, progress);
    }

    /** As above, as an execution of {@code stateMachineArn} (its $$.Execution.Id is that machine's execution ARN). */
    public ExecutionResult runDefinition(String definitionJson, String stateMachineArn, String executionName,
                                         Object input, ProgressListener progress) {
        long started = System.nanoTime();
        try {
            Path definition = Files.createTempFile("token-rotator", ".asl.json");
            Files.writeString(definition, definitionJson);
            Path inputFile = Files.createTempFile("token-rotator", ".input.json"); // inputs may exceed an argument's size
            Files.writeString(inputFile, Json.write(input));
            ProcessBuilder command = new ProcessBuilder("node", root.resolve("cli/src/main/node/run-asl.mjs").toString(),
                    "--definition", definition.toString(), "--input", inputFile.toString(), "--name", executionName,
                    "--routes", String.join(",", lambdas.functionNames()), "--scale", String.valueOf(timeScale),
                    "--state-machine-arn", stateMachineArn,
                    // the interpreter tells time by the simulator's clock (Wait Timestamps, $$ times)
                    "--clock", clock.now().toEpochMilli() + "," + System.currentTimeMillis())
                    .directory(root.toFile());
            // the interpreter's own AWS SDK invokes the Lambda ARNs: point it at the local Lambda server
            command.environment().put("AWS_ENDPOINT_URL_LAMBDA", lambdas.endpoint().toString());
            command.environment().put("AWS_REGION", "us-east-1");
            command.environment().put("AWS_ACCESS_KEY_ID", "local");
            command.environment().put("AWS_SECRET_ACCESS_KEY", "local");
            command.environment().remove("AWS_PROFILE");
            command.environment().putAll(extraNodeEnvironment);
            Process node = command.start();
            node.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(node.getErrorStream()));
            ExecutionResult result = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    JsonNode event = Json.MAPPER.readTree(line);
                    switch (event.path("event").asText()) {
                        case "planned" -> progress.planned(event.path("toRotate").asInt(), event.path("skipped").asInt());
                        case "stackDone" -> progress.stackDone(event.path("outcome").asText());
                        case "refused", "broken" -> throw new IllegalStateException("local state machine runner "
                                + event.path("event").asText() + ": " + event.path("message").asText());
                        case "finished" -> result = finished(executionName, event, started);
                        default -> { }
                    }
                }
            }
            node.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(definition);
            Files.deleteIfExists(inputFile);
            if (result == null) {
                throw new IllegalStateException("the local state machine runner exited " + node.exitValue()
                        + " without a result: " + stderr.join().strip());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String substitutedDefinition(String definitionFile, Map<String, String> substitutions) {
        String text;
        try {
            text = Files.readString(root.resolve("statemachine").resolve(definitionFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read statemachine/" + definitionFile, e);
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, "arn:aws:lambda:" + LocalPermissions.REGION + ":" + LocalPermissions.ACCOUNT
                    + ":function:" + m.group(1));
        }
        m.appendTail(sb);
        Matcher other = ANY_PLACEHOLDER.matcher(sb.toString());
        StringBuilder out = new StringBuilder();
        while (other.find()) {
            String value = substitutions.get(other.group(1));
            if (value == null) {
                throw new IllegalArgumentException("statemachine/" + definitionFile + " has the placeholder ${"
                        + other.group(1) + "}, which no substitution fills");
            }
            other.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        other.appendTail(out);
        return out.toString();
    }

    private static ExecutionResult finished(String name, JsonNode event, long started) {
        Map<String, Long> retries = new TreeMap<>();
        event.path("retries").fields().forEachRemaining(e -> retries.put(e.getKey(), e.getValue().asLong()));
        return new ExecutionResult(name, event.path("status").asText(), event.get("output"),
                event.path("error").asText(null), event.path("cause").asText(null), event.path("transitions").asLong(),
                retries, (System.nanoTime() - started) / 1_000_000);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        lambdas.close();
        simulator.close();
    }
}
