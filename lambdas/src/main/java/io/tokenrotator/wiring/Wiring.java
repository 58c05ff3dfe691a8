package io.tokenrotator.wiring;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkAccessKeys;
import io.tokenrotator.aws.SdkCloudFormation;
import io.tokenrotator.aws.SdkExecutionLookup;
import io.tokenrotator.aws.SdkSecretWriter;
import io.tokenrotator.aws.TargetClients;
import io.tokenrotator.target.RoutingCloudFormation;
import io.tokenrotator.target.SecretReplicas;
import io.tokenrotator.target.Targets;
import io.tokenrotator.credential.CredentialKind;
import io.tokenrotator.credential.CycleBook;
import io.tokenrotator.credential.CycleStart;
import io.tokenrotator.credential.IamAccessKeys;
import io.tokenrotator.credential.ManagedCredentials;
import io.tokenrotator.credential.Propagation;
import io.tokenrotator.credential.Retirement;
import io.tokenrotator.store.S3CredentialRecords;
import io.tokenrotator.aws.SdkExecutionStarter;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.handler.JsonHandler;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.FindStacksService;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.service.RunResultsService;
import io.tokenrotator.service.StackStatusService;
import io.tokenrotator.service.StartRotationService;
import io.tokenrotator.service.UpdateStackService;
import io.tokenrotator.service.WatchedSecrets;
import io.tokenrotator.store.S3RunStore;
import io.tokenrotator.store.S3StackLeases;

import software.amazon.awssdk.services.s3.S3Client;

import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.util.function.Function;

/**
 * The one place that builds each function's services from what the function runs with: its AWS clients (its own
 * credentials), its environment variables (the ones the construct sets), a clock and a log. The handlers' no-arg
 * constructors (what the Lambda runtime calls) use {@link #fromEnvironment()}; the local runner builds one per
 * function with that function's credentials and the environment the construct would give it, so a local run goes
 * through the same graph and the same environment mapping as AWS.
 */
public final class Wiring {
    /** The state machine Start Rotation starts. */
    public static final String STATE_MACHINE_ARN = "STATE_MACHINE_ARN";
    /** How often the lifecycle looks at the rotation it started (seconds; default 60). */
    public static final String PROPAGATION_POLL_SECONDS = "PROPAGATION_POLL_SECONDS";
    static final long DEFAULT_PROPAGATION_POLL_SECONDS = 60;

    private final AwsClients clients;
    private final Function<String, String> env;
    private final Clock clock;
    private final JsonLog log;

    public Wiring(AwsClients clients, Function<String, String> env, Clock clock, JsonLog log) {
        this.clients = clients;
        this.env = env;
        this.clock = clock;
        this.log = log;
    }

    /** In Lambda: region, credentials and endpoint as the SDK finds them; the function's environment. */
    public static Wiring fromEnvironment() {
        return new Wiring(AwsClients.fromEnvironment(), System::getenv, Clock.systemUTC(), JsonLog.stdout());
    }

    /** The handler of {@code function}, over services built here (each handler's {@code (Wiring)} constructor). */
    public JsonHandler<?, ?> handler(RotatorFunction function) {
        try {
            return function.handler().getConstructor(Wiring.class).newInstance(this);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(function.handler().getName() + " has no public (Wiring) constructor", e);
        }
    }

    /** Find Stacks' defaults (parameter name, prefix, selection, run settings); its handler checks them. */
    public InputRules.Defaults findStacksDefaults() {
        return InputRules.Defaults.fromEnvironment(env);
    }

    public FindStacksService findStacks() {
        return new FindStacksService(targets(RotatorFunction.FIND_STACKS), new SdkSecrets(clients.secretsManager()),
                runStore(clients.s3()), log, clock);
    }

    /**
     * The function's way into its targets ({@link Targets#VARIABLE}): its own clients at home, each target's role
     * elsewhere, the AssumeRole session named after the function.
     */
    private TargetClients targets(RotatorFunction function) {
        return new TargetClients(clients, Targets.fromEnvironment(env, clients.regionId()),
                "TokenRotator-" + function.id());
    }

    /** Load Planned Stack and Summarize: reads and writes of the run's objects. */
    public RunResultsService runResults() {
        return new RunResultsService(runStore(clients.s3()), null, log, clock);
    }

    /** Record Result: also releases the run's lease on the stack. */
    public RunResultsService runResultsReleasingLeases() {
        S3Client s3 = clients.s3();
        return new RunResultsService(runStore(s3), leases(s3), log, clock);
    }

    public UpdateStackService updateStack() {
        S3Client s3 = clients.s3();
        TargetClients targets = targets(RotatorFunction.UPDATE_STACK);
        S3RunStore runs = runStore(s3);
        return new UpdateStackService(new RoutingCloudFormation(targets), runs, leases(s3), log,
                new SecretReplicas(targets, runs), clock);
    }

    public StackStatusService stackStatus() {
        return new StackStatusService(new RoutingCloudFormation(targets(RotatorFunction.STACK_STATUS)), clock);
    }

    public StartRotationService startRotation() {
        return new StartRotationService(new SdkSecrets(clients.secretsManager()),
                new SdkExecutionStarter(clients.stepFunctions(), required(STATE_MACHINE_ARN)),
                WatchedSecrets.fromEnvironment(env), log);
    }

    /** Begin Cycle and Create Credential. */
    public CycleStart cycleStart() {
        S3Client s3 = clients.s3();
        return new CycleStart(cycleBook(s3), credentialKind(), new SdkSecrets(clients.secretsManager()),
                new SdkSecretWriter(clients.secretsManager()), new SdkExecutionLookup(clients.stepFunctions()));
    }

    /** Propagate Credential: starts and watches the rotation, reads its plan and results. */
    public Propagation propagation() {
        S3Client s3 = clients.s3();
        return new Propagation(cycleBook(s3), new SdkSecrets(clients.secretsManager()),
                new SdkExecutionStarter(clients.stepFunctions(), required(STATE_MACHINE_ARN)), runStore(s3),
                propagationPollSeconds());
    }

    /** Retire Credential. */
    public Retirement retirement() {
        return new Retirement(cycleBook(clients.s3()), credentialKind());
    }

    private CycleBook cycleBook(S3Client s3) {
        S3CredentialRecords records = new S3CredentialRecords(s3, S3RunStore.bucket(env));
        return new CycleBook(ManagedCredentials.fromEnvironment(env), records, clock, log);
    }

    private CredentialKind credentialKind() {
        return new IamAccessKeys(new SdkAccessKeys(clients.iam(), clients::stsSignedWith), clock);
    }

    /** How often Propagate Credential looks at the rotation it started: {@value #PROPAGATION_POLL_SECONDS}. */
    long propagationPollSeconds() {
        String value = env.apply(PROPAGATION_POLL_SECONDS);
        if (value == null || value.isBlank()) {
            return DEFAULT_PROPAGATION_POLL_SECONDS;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= 1 && seconds <= 3600) {
                return seconds;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException("environment variable " + PROPAGATION_POLL_SECONDS
                + " must be a whole number of seconds from 1 to 3600, got '" + value + "'");
    }

    /** Each SDK client built costs cold-start time: a function builds one S3 client and shares it. */
    private S3RunStore runStore(S3Client s3) {
        return S3RunStore.fromEnvironment(s3, env);
    }

    private S3StackLeases leases(S3Client s3) {
        return new S3StackLeases(s3, S3RunStore.bucket(env), clock);
    }

    private String required(String name) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}
