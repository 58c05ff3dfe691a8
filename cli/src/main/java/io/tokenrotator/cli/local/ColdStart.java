package io.tokenrotator.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotator.credential.ManagedCredential;
import io.tokenrotator.credential.ManagedCredentials;
import io.tokenrotator.json.Json;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.simulator.IamUsers;
import io.tokenrotator.wiring.Permissions;
import io.tokenrotator.service.WatchedSecrets;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import io.tokenrotator.wiring.RotatorFunction;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Cold starts of every function as Lambda gives them: for each one a fresh JVM ({@code java -cp <the shaded Lambda
 * jar>}, with the JVM options the construct sets, {@link RotatorFunction#JAVA_TOOL_OPTIONS}) runs
 * {@link ColdStartProbe}, which constructs the function's handler with its no-arg constructor and invokes it once.
 * The JVM's environment is what Lambda gives the function: region, the function's own credentials (the simulator
 * knows the function by its access key id and enforces its declared permissions), {@code AWS_ENDPOINT_URL} pointing
 * at the simulator, an empty home directory and the variables the construct sets ({@code RUN_BUCKET}, ...).
 *
 * <p>Each repetition is one stack's path through the workflow, each call a fresh JVM: Find Stacks plans a run,
 * Load Planned Stack loads that repetition's stack, Update Stack sets it to false, Stack Status checks it, Record
 * Result records it, Summarize reports the run, and Start Rotation handles a "Secret Label Updated" event (its
 * StartExecution reaches the simulated Step Functions). Every answer must be a JSON object, not an error.
 */
public final class ColdStart {
    /** The order a repetition invokes the functions in: each input is built from the answers before it. */
    public static final List<RotatorFunction> ORDER = List.of(RotatorFunction.FIND_STACKS,
            RotatorFunction.LOAD_PLANNED_STACK, RotatorFunction.UPDATE_STACK, RotatorFunction.STACK_STATUS,
            RotatorFunction.RECORD_RESULT, RotatorFunction.SUMMARIZE, RotatorFunction.START_ROTATION,
            RotatorFunction.BEGIN_CYCLE, RotatorFunction.CREATE_CREDENTIAL, RotatorFunction.PROPAGATE_CREDENTIAL,
            RotatorFunction.RETIRE_CREDENTIAL);

    /**
     * The environment cold starts run in: it manages one credential per repetition ({@code cold-start/key-<n>} of
     * IAM user {@code cold-start-<n>}), so each repetition's lifecycle functions begin a cycle of their own and
     * never meet IAM's two-key limit.
     */
    public static LocalEnvironment environment(int repetitions) {
        List<ManagedCredential> managed = new ArrayList<>();
        for (int r = 1; r <= repetitions; r++) {
            managed.add(new ManagedCredential("cold-start/key-" + r, ManagedCredential.IAM_ACCESS_KEY,
                    "cold-start-" + r, 0, 0));
        }
        LocalEnvironment env = new LocalEnvironment(1000, new InputRules.Defaults(null, null, null),
                Permissions.declared(), managed);
        // the executions Start Rotation and Propagate Credential start stay RUNNING, as before executions ran
        // locally: a rotation in the background would take CPU from the JVMs measured and touch their stacks
        env.simulator.stepFunctions().onStart(LocalEnvironment.STATE_MACHINE_ARN, (name, input, completion) -> { });
        return env;
    }
    private static final long TIMEOUT_SECONDS = 120;

    /**
     * Milliseconds from launching the JVM to entering main, to the handler constructed, to its first answer; and the
     * CPU milliseconds its threads used by then (-1 where unknown).
     */
    public record Sample(long toMain, long toConstructed, long toAnswer, long cpu) {}

    /** One function's samples and its answers, one per repetition. */
    public record Timings(RotatorFunction function, List<Sample> samples, List<JsonNode> answers) {
        public long median(ToLongFunction<Sample> of) {
            long[] sorted = samples.stream().mapToLong(of).sorted().toArray();
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        public long max(ToLongFunction<Sample> of) {
            return samples.stream().mapToLong(of).max().orElse(0);
        }
    }

    private ColdStart() {}

    /** The shaded jar every function is deployed from; the message names the build command when it is missing. */
    public static Path lambdaJar(Path root) {
        Path jar = root.resolve("lambdas/target/token-rotator-lambdas.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the Lambda jar " + jar + " is not built: run mvn -B -pl lambdas -am package"
                    + " -DskipTests");
        }
        return jar;
    }

    /**
     * Runs {@code repetitions} cold starts of every function against {@code env}'s simulator, from {@code jar}.
     * {@code progress} hears of each JVM that answered.
     */
    public static List<Timings> measure(LocalEnvironment env, Path jar, int repetitions, Consumer<String> progress) {
        Fleet.Built fleet = Fleet.build(FleetSpec.healthy(repetitions, 7, Duration.ofSeconds(60)), env.cloudFormation,
                env.secrets);
        Map<RotatorFunction, List<Sample>> samples = new EnumMap<>(RotatorFunction.class);
        Map<RotatorFunction, List<JsonNode>> answered = new EnumMap<>(RotatorFunction.class);
        Path work = null;
        try {
            work = Files.createTempDirectory("token-rotator-cold-start");
            Path classes = probeClasses(work);
            Path home = Files.createDirectory(work.resolve("home"));
            for (int r = 0; r < repetitions; r++) {
                String runId = "cold-start-" + (r + 1);
                if (r < env.managed.size()) { // the repetition's credential: a user with one key, in its secret
                    ManagedCredential c = env.managed.get(r);
                    env.iam.users().createUser(c.userName(), List.of());
                    IamUsers.NewKey key = env.iam.users().createAccessKey(c.userName(), env.clock.now());
                    env.secrets.createSecret(c.secretId(), Json.write(Map.of("accessKeyId",
                            key.metadata().accessKeyId(), "secretAccessKey", key.secretAccessKey())));
                }
                Map<RotatorFunction, JsonNode> answers = new EnumMap<>(RotatorFunction.class);
                for (RotatorFunction f : ORDER) {
                    ObjectNode input = input(f, runId, r, fleet, answers);
                    Path inputFile = Files.writeString(work.resolve(f.id() + ".json"), Json.write(input));
                    Run run = launch(f, env, fleet.secretArn(), classes, jar, home, inputFile);
                    answers.put(f, run.answer());
                    samples.computeIfAbsent(f, k -> new ArrayList<>()).add(run.sample());
                    answered.computeIfAbsent(f, k -> new ArrayList<>()).add(run.answer());
                    progress.accept(f.id() + " " + (r + 1) + "/" + repetitions + ": " + run.sample().toAnswer() + " ms");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(work);
        }
        List<Timings> out = new ArrayList<>();
        ORDER.forEach(f -> out.add(new Timings(f, List.copyOf(samples.get(f)), List.copyOf(answered.get(f)))));
        return out;
    }

    /** A valid input for {@code f} in repetition {@code r}, as the workflow (or EventBridge) would send it. */
    private static ObjectNode input(RotatorFunction f, String runId, int r, Fleet.Built fleet,
                                    Map<RotatorFunction, JsonNode> answers) {
        ObjectNode in = Json.MAPPER.createObjectNode();
        JsonNode planned = answers.get(RotatorFunction.LOAD_PLANNED_STACK);
        switch (f) {
            case FIND_STACKS -> in.put("runId", runId).putObject("request").put("secretId", fleet.secretArn())
                    .put("versionId", fleet.newVersionId());
            case LOAD_PLANNED_STACK -> in.put("runId", runId).put("index", r);
            case UPDATE_STACK -> in.put("runId", runId).put("target", "false").set("stack", stack(planned));
            case STACK_STATUS -> in.set("stack", stack(planned));
            case RECORD_RESULT -> {
                in.put("runId", runId).put("index", r).put("ending", "TIMED_OUT").set("stack", stack(planned));
                in.set("update", answers.get(RotatorFunction.UPDATE_STACK));
                in.set("status", answers.get(RotatorFunction.STACK_STATUS));
            }
            case SUMMARIZE -> in.put("runId", runId);
            case BEGIN_CYCLE -> {
                in.putObject("request").put("secretId", "cold-start/key-" + (r + 1));
                in.put("executionId", LocalEnvironment.LIFECYCLE_ARN.replace(":stateMachine:", ":execution:") + ":"
                        + runId);
            }
            case CREATE_CREDENTIAL -> {
                return (ObjectNode) answers.get(RotatorFunction.BEGIN_CYCLE);
            }
            case PROPAGATE_CREDENTIAL -> in.put("step", "start").set("cycle",
                    answers.get(RotatorFunction.CREATE_CREDENTIAL));
            case RETIRE_CREDENTIAL -> in.put("step", "checkLastUse").set("cycle",
                    answers.get(RotatorFunction.PROPAGATE_CREDENTIAL));
            case START_ROTATION -> { // Secrets Manager user guide, "Secret event notifications"
                in.put("version", "0").put("id", "cold-start-" + (r + 1)).put("detail-type", "Secret Label Updated")
                        .put("source", "aws.secretsmanager").put("account", LocalPermissions.ACCOUNT)
                        .put("region", LocalPermissions.REGION);
                in.putArray("resources").add(fleet.secretArn());
                in.putObject("detail").put("name", Fleet.SECRET_NAME).put("labelUpdated", "AWSCURRENT")
                        .put("versionId", fleet.newVersionId());
            }
        }
        return in;
    }

    private static ObjectNode stack(JsonNode planned) {
        return Json.MAPPER.createObjectNode().put("stackName", planned.path("stackName").asText())
                .put("stackId", planned.path("stackId").asText());
    }

    /** The variables Lambda and the construct give function {@code f}; nothing of this process's environment. */
    private static Map<String, String> environment(RotatorFunction f, LocalEnvironment env, Path home, String secretArn) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("JAVA_TOOL_OPTIONS", RotatorFunction.JAVA_TOOL_OPTIONS);
        vars.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        vars.put("AWS_LAMBDA_FUNCTION_NAME", f.id());
        vars.put("AWS_REGION", LocalPermissions.REGION);
        vars.put("AWS_DEFAULT_REGION", LocalPermissions.REGION);
        vars.put("AWS_ACCESS_KEY_ID", LocalPermissions.accessKeyId(f));
        vars.put("AWS_SECRET_ACCESS_KEY", "local");
        vars.put("AWS_SESSION_TOKEN", "local"); // a role's credentials are temporary
        vars.put("AWS_ENDPOINT_URL", env.simulator.endpoint().toString());
        vars.put("HOME", home.toString()); // no ~/.aws, as on Lambda
        switch (f) {
            case STACK_STATUS -> { }
            case START_ROTATION -> {
                vars.put("STATE_MACHINE_ARN", LocalEnvironment.STATE_MACHINE_ARN);
                vars.put(WatchedSecrets.VARIABLE, "[{\"arn\": \"" + secretArn.substring(0, secretArn.length() - 7)
                        + "\", \"exact\": false}]");
            }
            case FIND_STACKS -> { // the construct's defaults (TokenRotatorProps)
                vars.put("RUN_BUCKET", LocalEnvironment.RUN_BUCKET);
                vars.put("PARAMETER_NAME", Fleet.PARAMETER);
                vars.put("SELECTION", "all");
            }
            case BEGIN_CYCLE, CREATE_CREDENTIAL, PROPAGATE_CREDENTIAL, RETIRE_CREDENTIAL -> {
                vars.put("RUN_BUCKET", LocalEnvironment.RUN_BUCKET);
                vars.put(ManagedCredentials.VARIABLE, Json.write(env.managed));
                vars.put("STATE_MACHINE_ARN", LocalEnvironment.STATE_MACHINE_ARN);
            }
            default -> vars.put("RUN_BUCKET", LocalEnvironment.RUN_BUCKET);
        }
        return vars;
    }

    private record Run(Sample sample, JsonNode answer) {}

    private static Run launch(RotatorFunction f, LocalEnvironment env, String secretArn, Path classes, Path jar,
                              Path home, Path input) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder command = new ProcessBuilder(javaBin, "-cp", classes + File.pathSeparator + jar,
                ColdStartProbe.class.getName(), f.handler().getName(), f.id(), input.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD); // the handler's log lines
        command.environment().clear();
        command.environment().putAll(environment(f, env, home, secretArn));
        long launched = System.currentTimeMillis();
        Process jvm = command.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(jvm.getErrorStream()));
        try {
            if (!jvm.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                jvm.destroyForcibly();
                throw new IllegalStateException(f.id() + ": the JVM did not end within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            jvm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        String stderr = err.join();
        String times = line(stderr, "cold-start ");
        String answer = line(stderr, "answer ");
        if (jvm.exitValue() != 0 || times == null || answer == null) {
            throw new IllegalStateException(f.id() + " did not answer from " + jar.getFileName() + " (exit "
                    + jvm.exitValue() + "): " + tail(stderr));
        }
        JsonNode parsed = Json.MAPPER.readTree(answer);
        if (!parsed.isObject()) {
            throw new IllegalStateException(f.id() + " answered " + answer + ": expected a JSON object");
        }
        String[] t = times.split(" ");
        long entered = Long.parseLong(t[0]);
        long constructed = Long.parseLong(t[1]);
        long answered = Long.parseLong(t[2]);
        return new Run(new Sample(entered - launched, constructed - launched, answered - launched,
                Long.parseLong(t[3])), parsed);
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElse(null);
    }

    private static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 4000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 4000);
    }

    /** The probe's class file, alone in a class directory: the fresh JVM sees nothing else of this CLI. */
    private static Path probeClasses(Path work) throws IOException {
        String resource = ColdStartProbe.class.getName().replace('.', '/') + ".class";
        Path target = work.resolve("classes").resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = ColdStart.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("cannot find " + resource + " on the class path");
            }
            Files.copy(in, target);
        }
        return work.resolve("classes");
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
