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
 * {@link QueryProtocol}), Secrets Manager's JSON 1.1 protocol, Step Functions' JSON 1.0 protocol (StartExecution) and
 * S3's REST-XML protocol (path-style, see {@link S3Endpoint}). Requests are routed by the service their SigV4
 * credential scope names. Point the AWS SDK at {@link #endpoint()} with the access key of a principal of the
 * {@link IamModel}:
 * every request is authenticated by the access key id in its SigV4 header and authorized against that principal's
 * statements, as AWS does, and refused in the service's own error format. Each operation can be rate limited by a
 * token bucket on the simulator's clock; a request over the limit gets {@code Throttling / Rate exceeded}.
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
        this.iamEndpoint = new IamEndpoint(iam.users(), clock);
        this.sts = new StsEndpoint(iam.users());
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
        if (!CLOUDFORMATION_OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("cannot limit " + operation + ": the simulator serves "
                    + CLOUDFORMATION_OPERATIONS);
        }
        limits.put(operation, new TokenBucket(perSecond, burst, clock));
    }

    /** CloudFormation and Secrets Manager calls received per operation, throttled ones included. */
    public Map<String, Long> callCounts() {
        return snapshot(calls);
    }

    /** S3 calls received per operation (the run store's and CloudFormation's TemplateURL reads are not calls). */
    public Map<String, Long> s3CallCounts() {
        return snapshot(s3Calls);
    }

    public Map<String, Long> throttledCounts() {
        return snapshot(throttled);
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
            Optional<IamModel.Principal> caller = signature.flatMap(sig -> iam.authenticate(sig.accessKeyId(), now));
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
                        principal -> isIam ? iamEndpoint.result(action, form, principal) : sts.result(action, principal));
            } else if (signature.map(sig -> sig.service().equals("s3")).orElse(!"POST".equals(ex.getRequestMethod()))) {
                s3Calls.computeIfAbsent(S3Endpoint.operation(ex), k -> new AtomicLong()).incrementAndGet();
                s3.handle(ex, bytes, caller);
            } else {
                handleCloudFormation(ex, QueryProtocol.parseForm(body), caller);
            }
        }
    }

    // ---------------------------------------------------------------- JSON protocols

    /** One operation of a JSON-protocol service, answered for an authenticated caller. */
    private interface JsonOperation {
        ObjectNode answer(IamModel.Principal caller, JsonNode request);
    }

    /**
     * A JSON-protocol service that serves one operation: Secrets Manager (JSON 1.1) or Step Functions (JSON 1.0).
     * An unknown access key is 400 UnrecognizedClientException; errors are {@code {"__type", <messageKey>}} with
     * the code also in {@code x-amzn-ErrorType}.
     */
    private void serveJson(HttpExchange ex, String protocolVersion, String messageKey, String served, String operation,
                           String body, Optional<IamModel.Principal> caller, JsonOperation op) throws IOException {
        count(operation);
        String contentType = "application/x-amz-json-" + protocolVersion;
        try {
            IamModel.Principal principal = caller.orElseThrow(() -> new AwsError("UnrecognizedClientException",
                    "The security token included in the request is invalid.", 400));
            if (!served.equals(operation)) {
                throw new AwsError("UnknownOperationException", "The simulator serves " + served + " only", 400);
            }
            send(ex, 200, contentType, JSON.writeValueAsString(op.answer(principal, JSON.readTree(body))));
        } catch (AwsError e) {
            ObjectNode err = JSON.createObjectNode().put("__type", e.code()).put(messageKey, e.getMessage());
            ex.getResponseHeaders().add("x-amzn-ErrorType", e.code());
            send(ex, e.httpStatus(), contentType, JSON.writeValueAsString(err));
        }
    }

    /** Secrets Manager: DescribeSecret (names and staging labels, never a value). */
    private void handleSecrets(HttpExchange ex, String operation, String body, Optional<IamModel.Principal> caller)
            throws IOException {
        serveJson(ex, "1.1", "Message", "DescribeSecret", operation, body, caller, (principal, request) -> {
            String secretId = request.path("SecretId").asText(null);
            // IAM evaluates the secret's ARN; a secret that does not exist is judged by the id as given
            Optional<SecretsManagerModel.SecretView> found = secretsManager.describe(secretId);
            String resource = found.map(SecretsManagerModel.SecretView::arn).orElse(String.valueOf(secretId));
            authorize(principal, "secretsmanager:DescribeSecret", resource, 400, "AccessDeniedException");
            SecretsManagerModel.SecretView s = found.orElseGet(() -> secretsManager.describeOrThrow(secretId));
            ObjectNode out = JSON.createObjectNode();
            out.put("ARN", s.arn()).put("Name", s.name());
            ObjectNode stages = out.putObject("VersionIdsToStages");
            s.versionIdsToStages().forEach((v, l) -> l.forEach(stage -> stages.withArray(v).add(stage)));
            return out;
        });
    }

    /** Step Functions: StartExecution (see {@link StepFunctionsModel}). */
    private void handleStepFunctions(HttpExchange ex, String operation, String body,
                                     Optional<IamModel.Principal> caller) throws IOException {
        serveJson(ex, "1.0", "message", "StartExecution", operation, body, caller, (principal, request) -> {
            String stateMachineArn = request.path("stateMachineArn").asText(null);
            authorize(principal, "states:StartExecution", String.valueOf(stateMachineArn), 400, "AccessDeniedException");
            StepFunctionsModel.Execution started = stepFunctions.startExecution(stateMachineArn,
                    request.path("name").asText(null), request.path("input").asText(null));
            return JSON.createObjectNode().put("executionArn", started.executionArn())
                    .put("startDate", started.startDate().toEpochMilli() / 1000.0);
        });
    }

    // ---------------------------------------------------------------- CloudFormation (Query)

    private void handleCloudFormation(HttpExchange ex, Map<String, String> form, Optional<IamModel.Principal> caller)
            throws IOException {
        String action = form.getOrDefault("Action", "");
        count(action);
        serveQuery(ex, CFN_NS, action, caller, principal -> {
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
            TokenBucket bucket = limits.get(action);
            boolean throttle = bucket != null && !bucket.tryTake();
            if ("UpdateStack".equals(action)) {
                updateStackTimeline.record(clock.now(), form.get("ClientRequestToken"),
                        ex.getRequestHeaders().getFirst("amz-sdk-request"), throttle);
            }
            if (throttle) {
                throttled.computeIfAbsent(action, k -> new AtomicLong()).incrementAndGet();
                throw new AwsError("Throttling", "Rate exceeded", 400);
            }
            return switch (action) {
                case "DescribeStacks" -> describeStacks(form);
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

    private String describeStacks(Map<String, String> form) {
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
