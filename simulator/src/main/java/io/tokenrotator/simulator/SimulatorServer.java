package io.tokenrotator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static io.tokenrotator.simulator.Xml.element;

/**
 * Serves the CloudFormation, Secrets Manager, Step Functions, S3, IAM and STS models on 127.0.0.1 over the real wire
 * protocols: the AWS Query protocol of CloudFormation, IAM ({@link IamEndpoint}: access keys) and STS
 * ({@link StsEndpoint}: GetCallerIdentity) (form-encoded POST, XML answers, errors as {@code <ErrorResponse>}, see
 * {@link QueryProtocol}), Secrets Manager's JSON 1.1 protocol (DescribeSecret, PutSecretValue), Step Functions' JSON
 * 1.0 protocol (StartExecution, DescribeExecution; see {@link StepFunctionsModel#onStart} for executions that run) and
 * S3's REST-XML protocol (path-style, see {@link S3Endpoint}). Requests are routed by the service their SigV4
 * credential scope names. Point the AWS SDK at {@link #endpoint()} with the access key of a principal of the
 * {@link IamModel}:
 * every request is authenticated by the access key id in its SigV4 header and authorized against that principal's
 * statements, as AWS does, and refused in the service's own error format. Each operation can be rate limited by a
 * token bucket on the simulator's clock; a request over the limit gets {@code Throttling / Rate exceeded}. The
 * server has the CloudFormation model report which access keys its consumers use to the IAM model ({@link KeyUsage}):
 * GetAccessKeyLastUsed answers from it and {@link IamModel#violations()} lists the keys stopped under a consumer.
 * <p>
 * Many accounts and regions: the models given to the constructor are the <em>home</em> account and region. With
 * {@link #addTarget} the server also hosts other (account, region) pairs, each with its own CloudFormation (and
 * Parameter Store), its own rate limits and its own Secrets Manager: in the home account's other regions, the
 * replicas of the home secrets ({@link SecretsManagerModel#replica}, after {@link #replicaLag}). A CloudFormation or
 * Secrets Manager request goes to the account of the principal that signed it and the region of its SigV4 credential
 * scope, as in AWS, where an account's resources live in each region's endpoints; a role session's account is the
 * role's (STS AssumeRole, see {@link IamModel#assumeRole}). S3, IAM and STS are global: one of each. A region can be
 * disabled for an account ({@link #disableRegion}): every request signed for it is refused as a request with an
 * invalid token (403 InvalidClientTokenId in the Query protocol, 400 UnrecognizedClientException in JSON), which is
 * what a call to a Region that is not enabled gets ("the AWS Region you're using must be enabled", leapp.cloud on
 * InvalidClientTokenId; AWS Account Management reference, "EnableRegion": "You cannot use the Region until this
 * process is complete"). Until a target is added, every request goes to the home models, whatever its signer.
 */
public final class SimulatorServer implements AutoCloseable {
    /** The CloudFormation operations served, each of which {@link #limit} can throttle. */
    public static final List<String> CLOUDFORMATION_OPERATIONS =
            List.of("DescribeStacks", "GetStackPolicy", "GetTemplate", "UpdateStack");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CFN_NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    /** One Query action: its Result element's content (null for none), or an {@link AwsError}. */
    private interface QueryAction {
        String result(IamModel.Principal caller);
    }

    private final CloudFormationModel cloudFormation;
    private final SecretsManagerModel secretsManager;
    private final IamModel iam;
    private final StepFunctionsModel stepFunctions;
    private final SimClock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, TokenBucket> limits = new ConcurrentHashMap<>();
    private final S3Endpoint s3;
    private final IamEndpoint iamEndpoint;
    private final StsEndpoint sts;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> s3Calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> throttled = new ConcurrentHashMap<>();
    /** The other (account, region) pairs hosted, by "account/region". */
    private final Map<String, CloudFormationModel> targets = new ConcurrentHashMap<>();
    private final Map<String, SecretsManagerModel> targetSecrets = new ConcurrentHashMap<>();
    private final java.util.Set<String> disabledRegions = ConcurrentHashMap.newKeySet();
    private volatile Duration replicaLag = Duration.ZERO;
    private final UpdateStackTimeline updateStackTimeline = new UpdateStackTimeline();

    public SimulatorServer(CloudFormationModel cloudFormation, SecretsManagerModel secretsManager, IamModel iam,
                           SimClock clock) throws IOException {
        this(cloudFormation, secretsManager, iam, new StepFunctionsModel(clock), clock);
    }

    public SimulatorServer(CloudFormationModel cloudFormation, SecretsManagerModel secretsManager, IamModel iam,
                           StepFunctionsModel stepFunctions, SimClock clock) throws IOException {
        this.cloudFormation = cloudFormation;
        this.stepFunctions = stepFunctions;
        this.secretsManager = secretsManager;
        this.iam = iam;
        this.s3 = new S3Endpoint(cloudFormation.s3());
        this.iamEndpoint = new IamEndpoint(iam.users(), clock, cloudFormation::settle);
        cloudFormation.trackKeyUsage(iam.users());
        this.sts = new StsEndpoint(iam, clock);
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        this.executor = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "simulator-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The Step Functions this server answers StartExecution from. */
    public StepFunctionsModel stepFunctions() {
        return stepFunctions;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Limits an operation (e.g. "UpdateStack") to {@code perSecond} calls per simulated second, with a burst. */
    public void limit(String operation, double perSecond, int burst) {
        limit(homeAccount(), homeRegion(), operation, perSecond, burst);
    }

    /**
     * Limits an operation in one account and region: each (account, region) has its own CloudFormation request
     * budget (throttling is per account and Region: CloudFormation user guide, "Understand CloudFormation quotas";
     * "Rate exceeded" is answered to the account whose calls exceed it).
     */
    public void limit(String account, String region, String operation, double perSecond, int burst) {
        if (!CLOUDFORMATION_OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("cannot limit " + operation + ": the simulator serves "
                    + CLOUDFORMATION_OPERATIONS);
        }
        limits.put(key(account, region) + "/" + operation, new TokenBucket(perSecond, burst, clock));
    }

    public String homeAccount() {
        return cloudFormation.account();
    }

    public String homeRegion() {
        return cloudFormation.region();
    }

    /**
     * How long the home secrets' replicas in other regions lag behind the primary (default 0: replication is
     * asynchronous, Secrets Manager user guide, "Replicate secrets"); applies to targets added afterwards.
     */
    public void replicaLag(Duration lag) {
        if (lag.isNegative()) {
            throw new IllegalArgumentException("replicaLag must be 0 or more, got " + lag);
        }
        this.replicaLag = lag;
    }

    /**
     * Hosts (account, region), empty: its own CloudFormation with its own Parameter Store (S3 is global: the home
     * S3), its own rate limits, and Secrets Manager: the home secrets' replicas in another region of the home
     * account, a Secrets Manager of its own elsewhere. Dynamic references by full ARN reach other accounts' and
     * regions' secrets where their resource policy allows. Adding a target that exists returns it.
     */
    public CloudFormationModel addTarget(String account, String region) {
        if (account.equals(homeAccount()) && region.equals(homeRegion())) {
            return cloudFormation;
        }
        CloudFormationModel existing = targets.get(key(account, region)); // every request looks here: no lock
        return existing != null ? existing : createTarget(account, region);
    }

    private synchronized CloudFormationModel createTarget(String account, String region) {
        CloudFormationModel existing = targets.get(key(account, region));
        if (existing != null) {
            return existing;
        }
        SecretsManagerModel secrets = account.equals(homeAccount())
                ? secretsManager.replica(region, clock, replicaLag) : new SecretsManagerModel(region, account);
        CloudFormationModel model = new CloudFormationModel(clock, secrets, new ParameterStoreModel(region, account),
                cloudFormation.s3(), region, account);
        model.resolveSecretArnsWith(this::secretsIn);
        cloudFormation.resolveSecretArnsWith(this::secretsIn);
        targetSecrets.put(key(account, region), secrets);
        targets.put(key(account, region), model);
        return model;
    }

    /** The CloudFormation of (account, region), added if it is not hosted yet. */
    public CloudFormationModel cloudFormation(String account, String region) {
        return addTarget(account, region);
    }

    /** The Secrets Manager of (account, region): the home one, a replica region's, or a target's own. */
    public SecretsManagerModel secretsManager(String account, String region) {
        addTarget(account, region);
        return secretsIn(account, region);
    }

    private SecretsManagerModel secretsIn(String account, String region) {
        return account.equals(homeAccount()) && region.equals(homeRegion()) ? secretsManager
                : targetSecrets.get(key(account, region));
    }

    /** Every (account, region) hosted, home first, as "account/region". */
    public List<String> hosted() {
        List<String> out = new ArrayList<>(List.of(key(homeAccount(), homeRegion())));
        out.addAll(new java.util.TreeSet<>(targets.keySet()));
        return out;
    }

    /** The Region is not enabled for the account: every request signed for it is refused (see the class comment). */
    public void disableRegion(String account, String region) {
        disabledRegions.add(key(account, region));
    }

    public void enableRegion(String account, String region) {
        disabledRegions.remove(key(account, region));
    }

    private static String key(String account, String region) {
        return account + "/" + region;
    }

    /** The CloudFormation a request acts on: the signer's account in the signed region (home until targets exist). */
    private CloudFormationModel cloudFormationFor(IamModel.Principal caller, String region) {
        if (targets.isEmpty() || region == null || region.isEmpty()) {
            return cloudFormation;
        }
        return addTarget(caller.account(), region);
    }

    /** CloudFormation calls received in one account and region per operation, throttled ones included. */
    public Map<String, Long> callCounts(String account, String region) {
        return prefixed(calls, key(account, region) + "/");
    }

    public Map<String, Long> throttledCounts(String account, String region) {
        return prefixed(throttled, key(account, region) + "/");
    }

    private static Map<String, Long> prefixed(Map<String, AtomicLong> counts, String prefix) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v.get());
            }
        });
        return out;
    }

    /** CloudFormation and Secrets Manager calls received per operation, throttled ones included. */
    public Map<String, Long> callCounts() {
        return unprefixed(calls);
    }

    /** S3 calls received per operation (the run store's and CloudFormation's TemplateURL reads are not calls). */
    public Map<String, Long> s3CallCounts() {
        return snapshot(s3Calls);
    }

    public Map<String, Long> throttledCounts() {
        return unprefixed(throttled);
    }

    /** Counts summed over every account and region (the per-target counts are kept as "account/region/op"). */
    private static Map<String, Long> unprefixed(Map<String, AtomicLong> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (!k.contains("/")) {
                out.put(k, v.get());
            }
        });
        return out;
    }

    /** UpdateStack requests and throttles per simulated second, by kind: what the bench's histogram prints. */
    public UpdateStackTimeline updateStackTimeline() {
        return updateStackTimeline;
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] bytes = ex.getRequestBody().readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            Optional<IamModel.Signature> signature =
                    IamModel.Signature.parse(ex.getRequestHeaders().getFirst("Authorization"));
            Instant now = clock.now();
            Optional<IamModel.Principal> caller = signature.flatMap(sig -> iam.authenticate(sig.accessKeyId(), now))
                    .filter(p -> !disabledRegions.contains(key(p.account(), signature.get().region())));
            if (signature.isPresent() && iam.expired(signature.get().accessKeyId(), now)) {
                rejectExpired(ex, target, signature.get().service());
                return;
            }
            // an access key records its last use on every request it authenticates: when, the service the request
            // was signed for and the region (AccessKeyLastUsed data type, IAM API reference)
            signature.filter(sig -> caller.isPresent())
                    .ifPresent(sig -> iam.users().recordUse(sig.accessKeyId(), sig.service(), sig.region(), now));
            String service = signature.map(IamModel.Signature::service).orElse("");
            if (target != null && target.startsWith("secretsmanager.")) {
                handleSecrets(ex, target.substring("secretsmanager.".length()), body, caller);
            } else if (target != null && target.startsWith("AWSStepFunctions.")) {
                handleStepFunctions(ex, target.substring("AWSStepFunctions.".length()), body, caller);
            } else if ("iam".equals(service) || "sts".equals(service)) {
                Map<String, String> form = QueryProtocol.parseForm(body);
                String action = form.getOrDefault("Action", "");
                boolean isIam = "iam".equals(service);
                serveQuery(ex, isIam ? IamEndpoint.NAMESPACE : StsEndpoint.NAMESPACE, action, caller,
                        principal -> isIam ? iamEndpoint.result(action, form, principal)
                                : sts.result(action, form, principal));
            } else if (signature.map(sig -> sig.service().equals("s3")).orElse(!"POST".equals(ex.getRequestMethod()))) {
                s3Calls.computeIfAbsent(S3Endpoint.operation(ex), k -> new AtomicLong()).incrementAndGet();
                s3.handle(ex, bytes, caller);
            } else {
                handleCloudFormation(ex, QueryProtocol.parseForm(body), caller,
                        signature.map(IamModel.Signature::region).orElse(""));
            }
        }
    }

    // ---------------------------------------------------------------- JSON protocols

    /** One operation of a JSON-protocol service, answered for an authenticated caller. */
    private interface JsonOperation {
        ObjectNode answer(IamModel.Principal caller, JsonNode request);
    }

    /**
     * A JSON-protocol service: Secrets Manager (JSON 1.1) or Step Functions (JSON 1.0), with the operations it serves.
     * An unknown access key is 400 UnrecognizedClientException; errors are {@code {"__type", <messageKey>}} with
     * the code also in {@code x-amzn-ErrorType}.
     */
    private void serveJson(HttpExchange ex, String protocolVersion, String messageKey, Map<String, JsonOperation> served,
                           String operation, String body, Optional<IamModel.Principal> caller) throws IOException {
        count(operation);
        String contentType = "application/x-amz-json-" + protocolVersion;
        try {
            IamModel.Principal principal = caller.orElseThrow(() -> new AwsError("UnrecognizedClientException",
                    "The security token included in the request is invalid.", 400));
            JsonOperation op = served.get(operation);
            if (op == null) {
                throw new AwsError("UnknownOperationException", "The simulator serves " + new TreeMap<>(served).keySet()
                        + " only", 400);
            }
            send(ex, 200, contentType, JSON.writeValueAsString(op.answer(principal, JSON.readTree(body))));
        } catch (AwsError e) {
            ObjectNode err = JSON.createObjectNode().put("__type", e.code()).put(messageKey, e.getMessage());
            ex.getResponseHeaders().add("x-amzn-ErrorType", e.code());
            send(ex, e.httpStatus(), contentType, JSON.writeValueAsString(err));
        }
    }

    /** Secrets Manager: DescribeSecret (names and staging labels, never a value) and PutSecretValue. */
    private void handleSecrets(HttpExchange ex, String operation, String body, Optional<IamModel.Principal> caller)
            throws IOException {
        String region = IamModel.Signature.parse(ex.getRequestHeaders().getFirst("Authorization"))
                .map(IamModel.Signature::region).orElse("");
        serveJson(ex, "1.1", "Message", Map.of(
                "DescribeSecret", (p, r) -> describeSecret(p, r, region),
                "PutSecretValue", (p, r) -> putSecretValue(p, r, region)), operation, body, caller);
    }

    private ObjectNode describeSecret(IamModel.Principal principal, JsonNode request, String region) {
        String secretId = request.path("SecretId").asText(null);
        SecretsManagerModel.SecretView s = authorizedSecret(principal, "secretsmanager:DescribeSecret", secretId,
                secretsFor(principal, secretId, region));
        ObjectNode out = JSON.createObjectNode();
        out.put("ARN", s.arn()).put("Name", s.name());
        ObjectNode stages = out.putObject("VersionIdsToStages");
        s.versionIdsToStages().forEach((v, l) -> l.forEach(stage -> stages.withArray(v).add(stage)));
        return out;
    }

    /**
     * PutSecretValue (API reference): {@code {SecretId, ClientRequestToken, SecretString, VersionStages}} answered
     * with {@code {ARN, Name, VersionId, VersionStages}}, never the value; the caller needs
     * {@code secretsmanager:PutSecretValue} on the secret (Service Authorization Reference, "Actions defined by AWS
     * Secrets Manager": resource type Secret).
     */
    private ObjectNode putSecretValue(IamModel.Principal principal, JsonNode request, String region) {
        String secretId = request.path("SecretId").asText(null);
        SecretsManagerModel secretsManager = secretsFor(principal, secretId, region);
        authorizedSecret(principal, "secretsmanager:PutSecretValue", secretId, secretsManager);
        List<String> stages = null;
        if (request.has("VersionStages")) {
            stages = new ArrayList<>();
            for (JsonNode stage : request.get("VersionStages")) {
                stages.add(stage.asText());
            }
        }
        SecretsManagerModel.PutResult put = secretsManager.putSecretValue(secretId,
                request.path("ClientRequestToken").asText(null), request.path("SecretString").asText(null), stages);
        ObjectNode out = JSON.createObjectNode().put("ARN", put.arn()).put("Name", put.name())
                .put("VersionId", put.versionId());
        put.versionStages().forEach(out.putArray("VersionStages")::add);
        return out;
    }

    /**
     * The secret an operation is about, once the caller may act on it: IAM evaluates the secret's ARN; a secret that
     * does not exist is judged by the id as given, then answered ResourceNotFoundException.
     */
    private SecretsManagerModel.SecretView authorizedSecret(IamModel.Principal principal, String action,
                                                            String secretId, SecretsManagerModel secretsManager) {
        Optional<SecretsManagerModel.SecretView> found = secretsManager.describe(secretId);
        String resource = found.map(SecretsManagerModel.SecretView::arn).orElse(String.valueOf(secretId));
        authorize(principal, action, resource, 400, "AccessDeniedException");
        return found.orElseGet(() -> secretsManager.describeOrThrow(secretId));
    }

    /**
     * The Secrets Manager a request acts on: the signed region's, in the caller's account, or for a full ARN in the
     * account it names (another account's only when the secret's resource policy shares it with the caller's
     * account, otherwise AccessDeniedException as for a missing resource-based grant). An endpoint serves its own
     * region's secrets: an ARN naming another region is not found there (the simulator's choice, AWS documents no
     * cross-region lookup; a replica has its own ARN with its region: Secrets Manager user guide, "Replicate
     * secrets"), so a replica is read by its own ARN or by name, signed for its region. Home until targets exist.
     */
    private SecretsManagerModel secretsFor(IamModel.Principal caller, String secretId, String region) {
        if (targets.isEmpty()) {
            return secretsManager;
        }
        String signed = region.isEmpty() ? homeRegion() : region;
        String[] arn = secretId == null ? new String[0] : secretId.split(":");
        if (secretId != null && secretId.startsWith("arn:") && arn.length > 5) {
            if (!arn[3].equals(signed)) {
                throw new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.",
                        400);
            }
            SecretsManagerModel named = arn[4].equals(caller.account()) ? secretsManager(arn[4], signed)
                    : secretsIn(arn[4], signed);
            if (named == null || !named.readableBy(secretId, caller.account())) {
                throw new AwsError("AccessDeniedException", "User: " + caller.arn() + " is not authorized to perform:"
                        + " secretsmanager:DescribeSecret on resource: " + secretId + " because no resource-based"
                        + " policy allows the secretsmanager:DescribeSecret action", 400);
            }
            return named;
        }
        return secretsManager(caller.account(), signed);
    }

    /**
     * An expired role session's answer: Query services 403 ExpiredToken, JSON services 400 ExpiredTokenException,
     * "The security token included in the request is expired" (STS API reference, "Common Errors": ExpiredToken);
     * S3 400 ExpiredToken "The provided token has expired." (S3 API reference, "Error responses").
     */
    private static void rejectExpired(HttpExchange ex, String target, String service) throws IOException {
        String message = "The security token included in the request is expired";
        if (target != null) {
            ex.getResponseHeaders().add("x-amzn-ErrorType", "ExpiredTokenException");
            send(ex, 400, "application/x-amz-json-1.1", JSON.writeValueAsString(JSON.createObjectNode()
                    .put("__type", "ExpiredTokenException").put("message", message)));
        } else if ("s3".equals(service)) {
            send(ex, 400, "application/xml", "<Error><Code>ExpiredToken</Code><Message>The provided token has"
                    + " expired.</Message></Error>");
        } else {
            send(ex, 403, "text/xml", QueryProtocol.error(CFN_NS, new AwsError("ExpiredToken", message, 403)));
        }
    }

    /** Step Functions: StartExecution and DescribeExecution (see {@link StepFunctionsModel}). */
    private void handleStepFunctions(HttpExchange ex, String operation, String body,
                                     Optional<IamModel.Principal> caller) throws IOException {
        serveJson(ex, "1.0", "message", Map.of("StartExecution", this::startExecution,
                "DescribeExecution", this::describeExecution), operation, body, caller);
    }

    private ObjectNode startExecution(IamModel.Principal principal, JsonNode request) {
        String stateMachineArn = request.path("stateMachineArn").asText(null);
        authorize(principal, "states:StartExecution", String.valueOf(stateMachineArn), 400, "AccessDeniedException");
        StepFunctionsModel.Execution started = stepFunctions.startExecution(stateMachineArn,
                request.path("name").asText(null), request.path("input").asText(null));
        return JSON.createObjectNode().put("executionArn", started.executionArn())
                .put("startDate", epochSeconds(started.startDate()));
    }

    /**
     * DescribeExecution (API reference): {@code executionArn} answered with executionArn, stateMachineArn, name,
     * status, startDate, stopDate once it ended, input, output when it succeeded, error and cause when it failed;
     * the caller needs {@code states:DescribeExecution} on the execution's ARN (Service Authorization Reference,
     * "Actions defined by AWS Step Functions": resource type execution).
     */
    private ObjectNode describeExecution(IamModel.Principal principal, JsonNode request) {
        String executionArn = request.path("executionArn").asText(null);
        authorize(principal, "states:DescribeExecution", String.valueOf(executionArn), 400, "AccessDeniedException");
        StepFunctionsModel.Execution e = stepFunctions.describeExecution(executionArn);
        ObjectNode out = JSON.createObjectNode().put("executionArn", e.executionArn())
                .put("stateMachineArn", e.stateMachineArn()).put("name", e.name()).put("status", e.status().name())
                .put("startDate", epochSeconds(e.startDate()));
        e.stopDate().ifPresent(d -> out.put("stopDate", epochSeconds(d)));
        out.put("input", e.input());
        e.output().ifPresent(o -> out.put("output", o));
        e.error().ifPresent(o -> out.put("error", o));
        e.cause().ifPresent(o -> out.put("cause", o));
        return out;
    }

    /** The JSON protocols' timestamps: epoch seconds with a fraction. */
    private static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    // ---------------------------------------------------------------- CloudFormation (Query)

    private void handleCloudFormation(HttpExchange ex, Map<String, String> form, Optional<IamModel.Principal> caller,
                                      String region) throws IOException {
        String action = form.getOrDefault("Action", "");
        count(action);
        serveQuery(ex, CFN_NS, action, caller, principal -> {
            CloudFormationModel cloudFormation = cloudFormationFor(principal, region);
            String where = key(cloudFormation.account(), cloudFormation.region()) + "/";
            calls.computeIfAbsent(where + action, k -> new AtomicLong()).incrementAndGet();
            String stackName = form.get("StackName");
            if ("DescribeStacks".equals(action) && (stackName == null || stackName.isEmpty())) {
                // "If you don't pass a parameter to StackName ... This requires ListStacks and DescribeStacks
                // permissions." (DescribeStacks API reference); neither is evaluated against a stack ARN
                authorize(principal, "cloudformation:DescribeStacks", "*", 403, "AccessDenied");
                authorize(principal, "cloudformation:ListStacks", "*", 403, "AccessDenied");
            } else {
                authorize(principal, "cloudformation:" + action, cloudFormation.stackArnForIam(stackName), 403,
                        "AccessDenied");
            }
            TokenBucket bucket = limits.get(where + action);
            boolean throttle = bucket != null && !bucket.tryTake();
            if ("UpdateStack".equals(action)) {
                updateStackTimeline.record(clock.now(), form.get("ClientRequestToken"),
                        ex.getRequestHeaders().getFirst("amz-sdk-request"), throttle);
            }
            if (throttle) {
                throttled.computeIfAbsent(action, k -> new AtomicLong()).incrementAndGet();
                throttled.computeIfAbsent(where + action, k -> new AtomicLong()).incrementAndGet();
                throw new AwsError("Throttling", "Rate exceeded", 400);
            }
            return switch (action) {
                case "DescribeStacks" -> describeStacks(cloudFormation, form);
                case "GetTemplate" -> element("TemplateBody",
                        cloudFormation.getTemplate(form.get("StackName"), form.get("TemplateStage")));
                case "GetStackPolicy" -> cloudFormation.getStackPolicy(form.get("StackName"))
                        .map(p -> element("StackPolicyBody", p)).orElse("");
                case "UpdateStack" -> element("StackId", cloudFormation.updateStack(updateCall(form), principal));
                default -> throw new AwsError("InvalidAction", "The action " + action + " is not valid", 400);
            };
        });
    }

    /**
     * Answers one Query-protocol request: an unaccepted access key is 403 InvalidClientTokenId (the Query services'
     * answer to an unknown, inactive or deleted key), any {@link AwsError} its {@code <ErrorResponse>}.
     */
    private static void serveQuery(HttpExchange ex, String namespace, String action,
                                   Optional<IamModel.Principal> caller, QueryAction handler) throws IOException {
        try {
            String result = handler.result(QueryProtocol.authenticated(caller));
            send(ex, 200, "text/xml", QueryProtocol.response(namespace, action, result));
        } catch (AwsError e) {
            send(ex, e.httpStatus(), "text/xml", QueryProtocol.error(namespace, e));
        }
    }

    private static String describeStacks(CloudFormationModel cloudFormation, Map<String, String> form) {
        CloudFormationModel.Page page = cloudFormation.describeStacks(form.get("StackName"), form.get("NextToken"));
        StringBuilder xml = new StringBuilder("<Stacks>");
        for (CloudFormationModel.StackView s : page.stacks()) {
            xml.append("<member>").append(element("StackName", s.name())).append(element("StackId", s.id()))
                    .append(element("StackStatus", s.status()))
                    .append(element("CreationTime", s.creationTime().toString()));
            if (s.statusReason() != null) xml.append(element("StackStatusReason", s.statusReason()));
            if (s.lastUpdatedTime() != null) xml.append(element("LastUpdatedTime", s.lastUpdatedTime().toString()));
            if (s.parentId() != null) xml.append(element("ParentId", s.parentId()));
            if (s.rootId() != null) xml.append(element("RootId", s.rootId()));
            if (s.roleArn() != null) xml.append(element("RoleARN", s.roleArn()));
            xml.append("<Parameters>");
            s.parameters().forEach((k, v) -> {
                xml.append("<member>").append(element("ParameterKey", k)).append(element("ParameterValue", v));
                if (s.resolvedValues().containsKey(k)) { // SSM parameter types show the value fetched
                    xml.append(element("ResolvedValue", s.resolvedValues().get(k)));
                }
                xml.append("</member>");
            });
            xml.append("</Parameters><Capabilities>");
            s.capabilities().forEach(c -> xml.append(element("member", c)));
            xml.append("</Capabilities></member>");
        }
        xml.append("</Stacks>");
        if (page.nextToken() != null) {
            xml.append(element("NextToken", page.nextToken()));
        }
        return xml.toString();
    }

    private static CloudFormationModel.UpdateStackCall updateCall(Map<String, String> form) {
        List<CloudFormationModel.ParamInput> params = new ArrayList<>();
        for (int i = 1; form.containsKey("Parameters.member." + i + ".ParameterKey"); i++) {
            String p = "Parameters.member." + i + ".";
            params.add(new CloudFormationModel.ParamInput(form.get(p + "ParameterKey"), form.get(p + "ParameterValue"),
                    "true".equals(form.get(p + "UsePreviousValue"))));
        }
        List<String> capabilities = new ArrayList<>();
        for (int i = 1; form.containsKey("Capabilities.member." + i); i++) {
            capabilities.add(form.get("Capabilities.member." + i));
        }
        return new CloudFormationModel.UpdateStackCall(form.get("StackName"), form.get("TemplateBody"),
                "true".equals(form.get("UsePreviousTemplate")), form.get("TemplateURL"), params, capabilities,
                form.get("RoleARN"), form.get("ClientRequestToken"));
    }

    // ---------------------------------------------------------------- plumbing

    /** IAM's implicit deny, in the answering service's error code and HTTP status. */
    static void authorize(IamModel.Principal principal, String action, String resource, int status,
                                  String code) {
        try {
            principal.require(action, resource);
        } catch (IamModel.Denied denied) {
            throw new AwsError(code, denied.getMessage(), status);
        }
    }

    private void count(String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A token bucket refilled on the simulator's clock. */
    private static final class TokenBucket {
        private final double perSecond;
        private final int burst;
        private final SimClock clock;
        private double tokens;
        private Instant last;

        TokenBucket(double perSecond, int burst, SimClock clock) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.clock = clock;
            this.tokens = burst;
            this.last = clock.now();
        }

        synchronized boolean tryTake() {
            Instant now = clock.now();
            double elapsed = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + elapsed * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
