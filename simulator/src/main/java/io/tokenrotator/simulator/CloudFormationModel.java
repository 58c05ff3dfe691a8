package io.tokenrotator.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory CloudFormation that behaves as AWS documents it for the calls Token Rotator makes (DescribeStacks,
 * GetTemplate, GetStackPolicy, UpdateStack): updates take time on a {@link SimClock}, resources gated by a
 * condition are deleted and re-created, dynamic references are resolved only when a resource is created, failed
 * updates roll back, and every rejection carries the error code and message CloudFormation uses. What
 * CloudFormation does with the caller's credentials during an update is checked against the caller's IAM
 * statements: fetching a TemplateURL from S3, running a transform, and re-reading SSM parameter values.
 */
public final class CloudFormationModel {
    public static final int PAGE_SIZE = 100;
    /** TemplateBody's limit; larger templates go by TemplateURL (CloudFormation quotas: template body size). */
    public static final int TEMPLATE_BODY_LIMIT = 51_200;
    /** A template in an S3 object may be up to 1 MB (CloudFormation quotas). */
    public static final int TEMPLATE_URL_LIMIT = 1_000_000;
    private static final Pattern VIRTUAL_HOSTED_URL =
            Pattern.compile("https://([a-z0-9.-]+)\\.s3(?:[.-][a-z0-9-]+)?\\.amazonaws\\.com/(.+)");
    private static final Pattern PATH_STYLE_URL =
            Pattern.compile("https://s3(?:[.-][a-z0-9-]+)?\\.amazonaws\\.com/([^/]+)/(.+)");
    private static final String S3_ERROR_HELP =
            "\nFor more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html";
    private static final Set<String> NEVER_UPDATABLE = Set.of("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED",
            "UPDATE_ROLLBACK_FAILED", "REVIEW_IN_PROGRESS", "CREATE_FAILED", "DELETE_COMPLETE", "DELETE_IN_PROGRESS");

    /** How an injected update failure ends. */
    public enum FailureMode { ROLLBACK, ROLLBACK_FAILED }

    /** A stack to create. Null fields take defaults: no parent, no policy, CREATE_COMPLETE, the model's duration. */
    public record StackSpec(String name, String templateBody, Map<String, String> parameters, List<String> capabilities,
                            String parentStackName, String stackPolicyBody, String initialStatus, Duration updateDuration,
                            String roleArn) {
        public StackSpec(String name, String templateBody, Map<String, String> parameters) {
            this(name, templateBody, parameters, List.of(), null, null, null, null, null);
        }
    }

    public record ParamInput(String key, String value, boolean usePreviousValue) {}

    /** The UpdateStack request as CloudFormation receives it. */
    public record UpdateStackCall(String stackName, String templateBody, boolean usePreviousTemplate,
                                  String templateUrl, List<ParamInput> parameters, List<String> capabilities,
                                  String roleArn, String clientRequestToken) {}

    /** A stack as DescribeStacks returns it: NoEcho values masked. */
    public record StackView(String name, String id, String status, String statusReason, Map<String, String> parameters,
                            Map<String, String> resolvedValues, List<String> capabilities, String parentId,
                            String rootId, Instant creationTime, Instant lastUpdatedTime, String roleArn) {}

    public record Page(List<StackView> stacks, String nextToken) {}

    /** A created resource and the secret versions its dynamic references resolved to when it was created. */
    public record ResourceState(String logicalId, String type, String properties, List<String> secretVersions,
                                Instant createdAt) {}

    /** What a test may inspect: true parameter values, resources, and how many updates were accepted. */
    public record StackState(String name, String id, String status, Map<String, String> parameters,
                             Map<String, ResourceState> resources, int updatesStarted, List<UpdateStackCall> calls) {}

    private record Fault(String key, String value, FailureMode mode, String reason) {}

    private record Operation(String token, StackTemplate template, Map<String, String> params,
                             Map<String, String> resolved, Map<String, ResourceState> resources, Instant start, Duration duration, FailureMode failure,
                             String failureReason, boolean external) {}

    private static final class Stack {
        String name;
        String id;
        String status;
        String statusReason;
        StackTemplate template;
        Map<String, String> params;
        /** The values CloudFormation fetched for SSM parameters at the last create or update. */
        Map<String, String> resolved = Map.of();
        List<String> capabilities;
        String parentId;
        String rootId;
        String policy;
        String roleArn;
        Duration updateDuration;
        Instant created;
        Instant lastUpdated;
        Map<String, ResourceState> resources = new LinkedHashMap<>();
        Operation op;
        final Set<String> tokens = new java.util.HashSet<>();
        int updatesStarted;
        final List<Fault> faults = new ArrayList<>();
        final List<UpdateStackCall> calls = new ArrayList<>();
    }

    private final SimClock clock;
    private final SecretsManagerModel secrets;
    private final ParameterStoreModel parameterStore;
    private final S3Model s3;
    private final String region;
    private final String account;
    private final Map<String, Stack> stacks = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Where consumers' use of access keys is kept; null until {@link #trackKeyUsage}. */
    private IamUsers keyUsers;
    /** The access key id each secret version holds, if its value is JSON with one (versions never change). */
    private final Map<String, Optional<String>> keyOfVersion = new java.util.HashMap<>();
    /** How long an update takes unless the stack's spec says otherwise. */
    private static final Duration DEFAULT_UPDATE_DURATION = Duration.ofSeconds(60);

    public CloudFormationModel(SimClock clock, SecretsManagerModel secrets, String region, String account) {
        this(clock, secrets, new ParameterStoreModel(region, account), new S3Model(clock), region, account);
    }

    public CloudFormationModel(SimClock clock, SecretsManagerModel secrets, ParameterStoreModel parameterStore,
                               S3Model s3, String region, String account) {
        this.clock = clock;
        this.secrets = secrets;
        this.parameterStore = parameterStore;
        this.s3 = s3;
        this.region = region;
        this.account = account;
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    /** Finds the Secrets Manager of another (account, region); null when there is none. */
    public interface SecretsDirectory {
        SecretsManagerModel secrets(String account, String region);
    }

    private SecretsDirectory directory;

    /**
     * Lets dynamic references name secrets of other accounts and regions by full ARN: a reference resolves the
     * secret its ARN names, which a stack of another account may read only when the secret's resource policy allows
     * it ({@link SecretsManagerModel#shareWith}; IAM user guide, "Cross-account access": "a dynamic reference to a
     * secret in another account must use the full ARN" and needs the resource policy). A name resolves this stack's
     * own account and region (for the home account in another region: the replica there).
     */
    public synchronized void resolveSecretArnsWith(SecretsDirectory directory) {
        this.directory = directory;
    }

    /** The secrets a dynamic reference reads: this region's, or those its full ARN names, once the stack may read them. */
    private SecretsManagerModel secretsFor(String secretId) {
        if (directory == null || secretId == null || !secretId.startsWith("arn:")) {
            return secrets;
        }
        String[] arn = secretId.split(":", 7);
        if (arn.length < 7 || (arn[3].equals(region) && arn[4].equals(account))) {
            return secrets;
        }
        SecretsManagerModel other = directory.secrets(arn[4], arn[3]);
        if (other == null || !other.readableBy(secretId, account)) {
            // what a consumer stack without the resource policy's grant sees when resolving the reference
            throw new AwsError("AccessDeniedException", "User: arn:aws:iam::" + account + ":root is not authorized"
                    + " to perform: secretsmanager:GetSecretValue on resource: " + secretId + " because no"
                    + " resource-based policy allows the secretsmanager:GetSecretValue action (Service:"
                    + " AWSSecretsManager; Status Code: 400; Error Code: AccessDeniedException)", 400);
        }
        return other;
    }

    /** The Parameter Store CloudFormation reads SSM parameter types from. */
    public ParameterStoreModel parameterStore() {
        return parameterStore;
    }

    /** The S3 CloudFormation fetches TemplateURLs from. */
    public S3Model s3() {
        return s3;
    }

    // ---------------------------------------------------------------- consumers use the key they resolved

    /**
     * From now on every live resource whose dynamic reference resolved a secret version whose value is JSON with an
     * {@code accessKeyId} uses that key (an application configured with the credential it was deployed with), as
     * long as the resource lives; {@code users} keeps who uses which key. Stacks that exist already are counted now.
     */
    public synchronized void trackKeyUsage(IamUsers users) {
        this.keyUsers = users;
        for (Stack s : stacks.values()) {
            refresh(s);
            syncUsage(s, clock.now());
        }
    }

    /** Brings every stack up to the clock: updates that are due end, and their consumers switch keys. */
    public synchronized void settle() {
        stacks.values().forEach(this::refresh);
    }

    /** Tells the key usage which keys the stack's live resources use; the ones gone stopped at {@code at}. */
    private void syncUsage(Stack s, Instant at) {
        if (keyUsers == null) {
            return;
        }
        Map<String, KeyUsage.User> users = new LinkedHashMap<>();
        if (!"DELETE_COMPLETE".equals(s.status)) {
            for (ResourceState r : s.resources.values()) {
                for (String version : r.secretVersions()) {
                    accessKeyOf(version).ifPresent(key -> users.put(s.name + "/" + r.logicalId(),
                            new KeyUsage.User(s.name + "/" + r.logicalId(), key, service(r.type()), region)));
                }
            }
        }
        keyUsers.stackUsers(s.name, users, at);
    }

    /**
     * The service GetAccessKeyLastUsed shows for a consumer: the simulator's choice, the resource type's service
     * (AWS::Events::Connection: events), as nothing says what an application calls with the key.
     */
    private static String service(String type) {
        String[] parts = type.split("::");
        return parts.length > 1 ? parts[1].toLowerCase(java.util.Locale.ROOT) : type;
    }

    private Optional<String> accessKeyOf(String versionId) {
        return keyOfVersion.computeIfAbsent(versionId, v -> secrets.valueOfVersion(v).flatMap(value -> {
            try {
                com.fasterxml.jackson.databind.JsonNode id = KEY_JSON.readTree(value).get("accessKeyId");
                return id != null && id.isTextual() ? Optional.of(id.asText()) : Optional.<String>empty();
            } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                return Optional.<String>empty();
            }
        }));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper KEY_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    // ---------------------------------------------------------------- fleet set-up and faults (not AWS calls)

    public synchronized String createStack(StackSpec spec) {
        if (findByName(spec.name()).isPresent()) {
            throw new AwsError("AlreadyExistsException", "Stack [" + spec.name() + "] already exists", 400);
        }
        StackTemplate template = new StackTemplate(spec.templateBody());
        Stack s = new Stack();
        s.name = spec.name();
        s.id = "arn:aws:cloudformation:" + region + ":" + account + ":stack/" + spec.name() + "/"
                + String.format("00000000-0000-4000-a000-%012d", ids.incrementAndGet());
        s.template = template;
        s.params = resolveInitialParameters(template, spec.parameters() == null ? Map.of() : spec.parameters());
        s.capabilities = spec.capabilities() == null ? List.of() : List.copyOf(spec.capabilities());
        s.policy = spec.stackPolicyBody();
        s.roleArn = spec.roleArn();
        s.updateDuration = spec.updateDuration();
        s.created = clock.now();
        if (spec.parentStackName() != null) {
            Stack parent = requireByName(spec.parentStackName());
            s.parentId = parent.id;
            s.rootId = parent.rootId != null ? parent.rootId : parent.id;
        }
        s.resolved = fetchParameterStoreValues(template, s.params, null);
        s.resources = createResources(s.name, template.desiredResources(evaluationValues(s, s.params, s.resolved)),
                Map.of());
        s.status = spec.initialStatus() == null ? "CREATE_COMPLETE" : spec.initialStatus();
        stacks.put(s.id, s);
        syncUsage(s, clock.now());
        return s.id;
    }

    public synchronized void deleteStack(String name) {
        Stack s = requireByName(name);
        s.op = null; // a delete ends any update in flight: nothing may bring the stack back
        s.status = "DELETE_COMPLETE";
        s.resources = new LinkedHashMap<>();
        syncUsage(s, clock.now());
    }

    /** The next {@code times} updates that set {@code key} to {@code value} fail and end as {@code mode}. */
    public synchronized void failUpdates(String stackName, String key, String value, int times, FailureMode mode,
                                         String reason) {
        Stack s = requireByName(stackName);
        for (int i = 0; i < times; i++) {
            s.faults.add(new Fault(key, value, mode, reason));
        }
    }

    /** Another operation (a deploy by someone else) keeps the stack UPDATE_IN_PROGRESS for {@code duration}. */
    public synchronized void occupy(String stackName, Duration duration) {
        Stack s = requireByName(stackName);
        refresh(s);
        s.op = new Operation(null, s.template, s.params, s.resolved, s.resources, clock.now(), duration, null, null,
                true);
        s.status = "UPDATE_IN_PROGRESS";
    }

    public synchronized StackState inspect(String stackName) {
        Stack s = requireByName(stackName);
        refresh(s);
        return new StackState(s.name, s.id, s.status, Map.copyOf(s.params), Map.copyOf(s.resources), s.updatesStarted,
                List.copyOf(s.calls));
    }

    /** The names of the stacks that have not been deleted. */
    public synchronized List<String> liveStackNames() {
        return stacks.values().stream().filter(s -> !"DELETE_COMPLETE".equals(s.status)).map(s -> s.name).toList();
    }

    // ---------------------------------------------------------------- the CloudFormation API

    public synchronized Page describeStacks(String stackName, String nextToken) {
        if (stackName != null && !stackName.isEmpty()) {
            Stack s = stackName.startsWith("arn:") ? stacks.get(stackName) : findByName(stackName).orElse(null);
            if (s == null) {
                throw AwsError.validation("Stack with id " + stackName + " does not exist");
            }
            refresh(s);
            return new Page(List.of(view(s)), null);
        }
        List<Stack> live = stacks.values().stream().filter(s -> !"DELETE_COMPLETE".equals(s.status)).toList();
        int from = 0;
        if (nextToken != null && !nextToken.isEmpty()) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(nextToken), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw AwsError.validation("Invalid NextToken");
            }
        }
        int to = Math.min(live.size(), from + PAGE_SIZE);
        List<StackView> page = new ArrayList<>();
        for (Stack s : live.subList(Math.min(from, to), to)) {
            refresh(s);
            page.add(view(s));
        }
        String next = to < live.size()
                ? Base64.getEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page(page, next);
    }

    public synchronized String getTemplate(String stackName, String stage) {
        Stack s = requireForApi(stackName);
        return s.template.body;
    }

    public synchronized Optional<String> getStackPolicy(String stackName) {
        return Optional.ofNullable(requireForApi(stackName).policy);
    }

    /**
     * The ARN IAM evaluates a call on this stack against: the stack's id, or {@code stack/<name>/*} for a name no
     * live stack has (the call is refused before CloudFormation says the stack does not exist).
     */
    public synchronized String stackArnForIam(String nameOrId) {
        if (nameOrId == null || nameOrId.isEmpty()) {
            return "*";
        }
        if (nameOrId.startsWith("arn:")) {
            return nameOrId;
        }
        return findByName(nameOrId).map(s -> s.id)
                .orElse("arn:aws:cloudformation:" + region + ":" + account + ":stack/" + nameOrId + "/*");
    }

    /** UpdateStack as {@code caller}: the parts CloudFormation does with the caller's credentials are checked. */
    public synchronized String updateStack(UpdateStackCall call, IamModel.Principal caller) {
        Stack s = requireForApi(call.stackName());
        refresh(s);
        s.calls.add(call);
        if (call.clientRequestToken() != null && s.op != null && call.clientRequestToken().equals(s.op.token())) {
            return s.id; // a retried request while its operation runs: CloudFormation recognises it, starts nothing
        }
        if (call.clientRequestToken() != null && s.tokens.contains(call.clientRequestToken())) {
            // the token of an operation that has ended (UpdateStack errors: TokenAlreadyExists, HTTP 400)
            throw new AwsError("TokenAlreadyExistsException", "A client request token already exists", 400);
        }
        int templateSources = (call.templateBody() != null ? 1 : 0) + (call.usePreviousTemplate() ? 1 : 0)
                + (call.templateUrl() != null ? 1 : 0);
        if (templateSources != 1) {
            throw AwsError.validation("Exactly one of TemplateBody, TemplateURL or UsePreviousTemplate must be specified.");
        }
        if (call.templateBody() != null
                && call.templateBody().getBytes(StandardCharsets.UTF_8).length > TEMPLATE_BODY_LIMIT) {
            // the API's length constraint, worded as for any constrained member (seen in many tools' bug reports)
            throw AwsError.validation("1 validation error detected: Value '" + call.templateBody() + "' at"
                    + " 'templateBody' failed to satisfy constraint: Member must have length less than or equal to "
                    + TEMPLATE_BODY_LIMIT);
        }
        if (s.status.endsWith("_IN_PROGRESS")) {
            throw AwsError.validation("Stack:" + s.id + " is in " + s.status + " state and can not be updated.");
        }
        if (NEVER_UPDATABLE.contains(s.status)) {
            throw AwsError.validation("Stack:" + s.id + " is in " + s.status + " state and can not be updated.");
        }
        if (call.usePreviousTemplate() && s.template.usesLanguageExtensions()) {
            throw AwsError.validation("UsePreviousTemplate is not supported for stacks that use the"
                    + " AWS::LanguageExtensions transform. Provide the template with TemplateBody or TemplateURL.");
        }
        StackTemplate template = call.usePreviousTemplate() ? s.template
                : new StackTemplate(call.templateUrl() != null ? fetchTemplate(call.templateUrl(), caller)
                : call.templateBody());
        requireTransforms(template, caller);
        Map<String, String> params = resolveUpdateParameters(s, template, call.parameters());
        Map<String, String> resolved = fetchParameterStoreValues(template, params, caller);
        Map<String, String> values = evaluationValues(s, params, resolved);
        Optional<String> failedRule = template.failedAssertion(values);
        if (failedRule.isPresent()) {
            throw AwsError.validation(failedRule.get());
        }
        Set<String> missing = new TreeSet<>(template.requiredCapabilities());
        missing.removeAll(call.capabilities() == null ? List.of() : call.capabilities());
        if (!missing.isEmpty()) {
            // any Transform needs CAPABILITY_AUTO_EXPAND on UpdateStack, whatever the stack was created with
            // (UpdateStack API reference, Capabilities)
            throw new AwsError("InsufficientCapabilitiesException", "Requires capabilities : " + missing, 400);
        }
        Map<String, StackTemplate.DesiredResource> desired = template.desiredResources(values);
        if (template.body.equals(s.template.body) && sameResources(desired, s.resources)) {
            throw AwsError.validation("No updates are to be performed.");
        }
        Fault fault = takeFault(s, params);
        FailureMode failure = fault == null ? null : fault.mode();
        String reason = fault == null ? null : fault.reason();
        String denied = deniedByPolicy(s, desired);
        if (failure == null && denied != null) {
            failure = FailureMode.ROLLBACK;
            reason = "Action denied by stack policy: Statement [#1] does not allow [Update:Delete] for resource"
                    + " [LogicalResourceId/" + denied + "]";
        }
        String goneNested = deletedNestedStack(s, desired);
        if (failure == null && goneNested != null) {
            failure = FailureMode.ROLLBACK;
            reason = "Embedded stack " + goneNested + " was not successfully updated. Currently in DELETE_COMPLETE.";
        }
        Map<String, ResourceState> resources;
        try {
            resources = createResources(s.name, desired, s.resources);
        } catch (AwsError secretMissing) {
            failure = FailureMode.ROLLBACK;
            reason = secretMissing.getMessage();
            resources = s.resources;
        }
        Duration duration = s.updateDuration != null ? s.updateDuration : DEFAULT_UPDATE_DURATION;
        s.op = new Operation(call.clientRequestToken(), template, params, resolved, resources, clock.now(), duration,
                failure, reason, false);
        if (call.clientRequestToken() != null) {
            s.tokens.add(call.clientRequestToken());
        }
        s.updatesStarted++;
        s.status = "UPDATE_IN_PROGRESS";
        s.statusReason = "User Initiated";
        s.lastUpdated = clock.now();
        return s.id;
    }

    // ---------------------------------------------------------------- internals

    /**
     * An AWS::CloudFormation::Stack resource whose properties changed updates its nested stack with the parameters
     * it passes, as CloudFormation does within the parent's update ("Working with nested stacks": updates start at
     * the root and reach every nested stack whose template or parameters changed). Resources of the nested stack
     * that change are re-created and re-resolve their dynamic references; the others keep theirs.
     */
    private void updateNestedStacks(Stack parent, Map<String, ResourceState> before, Instant at) {
        for (ResourceState r : parent.resources.values()) {
            ResourceState old = before.get(r.logicalId());
            if (!"AWS::CloudFormation::Stack".equals(r.type()) || old != null && old.properties().equals(r.properties())) {
                continue;
            }
            Stack child = stacks.values().stream().filter(c -> parent.id.equals(c.parentId)
                    && c.name.startsWith(parent.name + "-" + r.logicalId() + "-")
                    && !"DELETE_COMPLETE".equals(c.status)).findFirst().orElse(null);
            if (child == null) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>(child.params);
            StackTemplate.passedParameters(r.properties()).forEach((k, v) -> {
                if (params.containsKey(k)) {
                    params.put(k, v);
                }
            });
            child.resources = createResources(child.name, child.template.desiredResources(params), child.resources);
            syncUsage(child, at);
            child.params = params;
            child.status = "UPDATE_COMPLETE";
            child.lastUpdated = clock.now();
        }
    }

    /**
     * A nested stack this update must update (its AWS::CloudFormation::Stack resource changes) that was deleted out
     * of band: CloudFormation cannot update it, so the parent's update fails and rolls back. Null when there is none.
     */
    private String deletedNestedStack(Stack parent, Map<String, StackTemplate.DesiredResource> desired) {
        for (StackTemplate.DesiredResource d : desired.values()) {
            ResourceState current = parent.resources.get(d.logicalId());
            if (!"AWS::CloudFormation::Stack".equals(d.type()) || current == null || unchanged(current, d)) {
                continue;
            }
            for (Stack child : stacks.values()) {
                if (parent.id.equals(child.parentId) && child.name.startsWith(parent.name + "-" + d.logicalId() + "-")
                        && "DELETE_COMPLETE".equals(child.status)) {
                    return child.id;
                }
            }
        }
        return null;
    }

    /**
     * The live nested stacks a root stack's updates reach: those held by its AWS::CloudFormation::Stack resources,
     * at every level (a stack created with a parent but no such resource is nested in name only).
     */
    public synchronized List<String> nestedStackNames(String rootName) {
        List<String> out = new ArrayList<>();
        collectNested(requireByName(rootName), out);
        return out;
    }

    private void collectNested(Stack parent, List<String> out) {
        refresh(parent);
        for (Stack child : stacks.values()) {
            if (parent.id.equals(child.parentId) && !"DELETE_COMPLETE".equals(child.status)
                    && parent.resources.values().stream().anyMatch(r -> "AWS::CloudFormation::Stack".equals(r.type())
                    && child.name.startsWith(parent.name + "-" + r.logicalId() + "-"))) {
                out.add(child.name);
                collectNested(child, out);
            }
        }
    }

    private void refresh(Stack s) {
        Stack parent = s.parentId == null ? null : stacks.get(s.parentId);
        if (parent != null && parent != s) {
            refresh(parent); // the parent's update, once done, updates this stack: time passes for both
        }
        Operation op = s.op;
        if (op == null) {
            return;
        }
        Instant now = clock.now();
        Duration cleanup = op.duration().dividedBy(10).compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1) : op.duration().dividedBy(10);
        Instant end = op.start().plus(op.duration());
        if (op.external()) {
            if (!now.isBefore(end)) {
                s.status = "UPDATE_COMPLETE";
                s.op = null;
            }
            return;
        }
        if (op.failure() == null) {
            if (now.isBefore(end)) {
                s.status = "UPDATE_IN_PROGRESS";
            } else {
                Map<String, ResourceState> before = s.resources;
                s.params = op.params();
                s.resolved = op.resolved();
                s.template = op.template();
                s.resources = op.resources();
                syncUsage(s, end);
                updateNestedStacks(s, before, end);
                if (now.isBefore(end.plus(cleanup))) {
                    s.status = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
                } else {
                    s.status = "UPDATE_COMPLETE";
                    s.statusReason = null;
                    s.op = null;
                }
            }
            return;
        }
        Instant failAt = op.start().plus(op.duration().dividedBy(2));
        if (now.isBefore(failAt)) {
            s.status = "UPDATE_IN_PROGRESS";
        } else if (now.isBefore(end)) {
            s.status = "UPDATE_ROLLBACK_IN_PROGRESS";
            s.statusReason = op.failureReason();
        } else if (op.failure() == FailureMode.ROLLBACK_FAILED) {
            s.status = "UPDATE_ROLLBACK_FAILED";
            s.statusReason = "The following resource(s) failed to update: [" + firstResource(s) + "]. "
                    + op.failureReason();
            s.op = null;
        } else if (now.isBefore(end.plus(cleanup))) {
            s.status = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS";
        } else {
            s.status = "UPDATE_ROLLBACK_COMPLETE";
            s.statusReason = op.failureReason();
            s.op = null;
        }
    }

    private StackView view(Stack s) {
        Map<String, String> shown = new LinkedHashMap<>();
        s.params.forEach((k, v) -> {
            StackTemplate.Parameter p = s.template.parameters.get(k);
            shown.put(k, p != null && p.noEcho() ? "****" : v);
        });
        // while an update runs, DescribeStacks already shows the new parameter values
        if (s.op != null && !s.op.external() && s.status.equals("UPDATE_IN_PROGRESS")) {
            s.op.params().forEach((k, v) -> {
                StackTemplate.Parameter p = s.op.template().parameters.get(k);
                shown.put(k, p != null && p.noEcho() ? "****" : v);
            });
        }
        Map<String, String> resolved = s.op != null && !s.op.external() && s.status.equals("UPDATE_IN_PROGRESS")
                ? s.op.resolved() : s.resolved;
        return new StackView(s.name, s.id, s.status, s.statusReason, shown, resolved, s.capabilities, s.parentId,
                s.rootId,
                s.created, s.lastUpdated, s.roleArn);
    }

    /**
     * The values of the template's AWS::SSM::Parameter::Value parameters, fetched now: CloudFormation re-reads them
     * on every update, even with UsePreviousValue, and does so with the caller's credentials (CFN user guide,
     * "Systems Manager parameter types"; aws-cdk #10083, #20959). A null caller is the simulator's own set-up.
     */
    private Map<String, String> fetchParameterStoreValues(StackTemplate template, Map<String, String> params,
                                                          IamModel.Principal caller) {
        Map<String, String> fetched = new LinkedHashMap<>();
        for (StackTemplate.Parameter p : template.parameters.values()) {
            if (!p.fromParameterStore()) {
                continue;
            }
            String name = params.get(p.name());
            if (caller != null && !caller.allows("ssm:GetParameters", parameterStore.arn(name))) {
                throw AwsError.validation("AccessDenied. User doesn't have permission to call ssm:GetParameters");
            }
            fetched.put(p.name(), parameterStore.value(name).orElseThrow(() -> AwsError.validation(
                    "Unable to fetch parameters [" + name + "] from parameter store for this account.")));
        }
        return fetched;
    }

    /** What Ref evaluates to: parameter values (SSM ones as fetched) and the pseudo parameters. */
    private Map<String, String> evaluationValues(Stack s, Map<String, String> params, Map<String, String> resolved) {
        Map<String, String> values = new LinkedHashMap<>(params);
        values.putAll(resolved);
        values.put("AWS::Region", region);
        values.put("AWS::AccountId", account);
        values.put("AWS::Partition", "aws");
        values.put("AWS::URLSuffix", "amazonaws.com");
        values.put("AWS::StackName", s.name);
        values.put("AWS::StackId", s.id);
        return values;
    }

    /**
     * Running a transform is a CreateChangeSet on {@code arn:<partition>:cloudformation:<region>:aws:transform/<Name>}
     * authorized with the caller's credentials (aws-cloudformation-templates #358, serverless-application-model
     * #179). Whether a direct UpdateStack reports the denial synchronously as AccessDenied is not documented; the
     * simulator does, with IAM's message.
     */
    private void requireTransforms(StackTemplate template, IamModel.Principal caller) {
        for (String transform : caller == null ? List.<String>of() : template.transforms) {
            String arn = "arn:aws:cloudformation:" + region + ":aws:transform/" + transform.replaceFirst("^AWS::", "");
            try {
                caller.require("cloudformation:CreateChangeSet", arn);
            } catch (IamModel.Denied denied) {
                throw new AwsError("AccessDenied", denied.getMessage(), 403);
            }
        }
    }

    /** The template a TemplateURL points at, read from S3 with the caller's credentials. */
    private String fetchTemplate(String url, IamModel.Principal caller) {
        Matcher hosted = VIRTUAL_HOSTED_URL.matcher(url);
        Matcher path = PATH_STYLE_URL.matcher(url);
        String bucket = hosted.matches() ? hosted.group(1) : path.matches() ? path.group(1) : null;
        String key = hosted.matches() ? hosted.group(2) : path.matches() ? path.group(2) : null;
        if (bucket == null || !s3.bucketExists(bucket)) {
            throw AwsError.validation("TemplateURL must reference a valid S3 object to which you have access.");
        }
        byte[] body;
        try {
            body = s3.get(caller, bucket, URLDecoder.decode(key, StandardCharsets.UTF_8)).body();
        } catch (AwsError e) {
            throw AwsError.validation("S3 error: " + ("AccessDenied".equals(e.code()) ? "Access Denied" : e.getMessage())
                    + S3_ERROR_HELP);
        }
        if (body.length > TEMPLATE_URL_LIMIT) {
            // the limit is documented; this message is the simulator's
            throw AwsError.validation("Template may not exceed " + TEMPLATE_URL_LIMIT + " bytes in size.");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private Map<String, String> resolveInitialParameters(StackTemplate template, Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        for (StackTemplate.Parameter p : template.parameters.values()) {
            String v = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue();
            if (v == null) {
                throw AwsError.validation("Parameters: [" + p.name() + "] must have values");
            }
            out.put(p.name(), v);
        }
        return out;
    }

    private Map<String, String> resolveUpdateParameters(Stack s, StackTemplate template, List<ParamInput> inputs) {
        Map<String, ParamInput> byKey = new LinkedHashMap<>();
        for (ParamInput in : inputs == null ? List.<ParamInput>of() : inputs) {
            if (in.usePreviousValue() && in.value() != null) {
                throw AwsError.validation("Invalid input for parameter key " + in.key()
                        + ". Cannot specify usePreviousValue as true and non empty value for a parameter key");
            }
            if (!template.parameters.containsKey(in.key())) {
                throw AwsError.validation("Parameters: [" + in.key() + "] do not exist in the template");
            }
            if (in.usePreviousValue() && !s.params.containsKey(in.key())) {
                throw AwsError.validation("Invalid input for parameter key " + in.key() + ". Cannot specify"
                        + " usePreviousValue as true for a parameter key not in the previous template");
            }
            byKey.put(in.key(), in);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (StackTemplate.Parameter p : template.parameters.values()) {
            ParamInput in = byKey.get(p.name());
            String v = in == null ? p.defaultValue() : in.usePreviousValue() ? s.params.get(p.name()) : in.value();
            if (v == null) {
                throw AwsError.validation("Parameters: [" + p.name() + "] must have values");
            }
            if (!p.allowedValues().isEmpty() && !p.allowedValues().contains(v)) {
                throw AwsError.validation("Parameter '" + p.name() + "' must be one of AllowedValues");
            }
            out.put(p.name(), v);
        }
        return out;
    }

    /** Creates what changed; a resource created on an access key that is Inactive or gone is a violation. */
    private Map<String, ResourceState> createResources(String stackName,
                                                       Map<String, StackTemplate.DesiredResource> desired,
                                                       Map<String, ResourceState> existing) {
        Map<String, ResourceState> out = new LinkedHashMap<>();
        for (StackTemplate.DesiredResource d : desired.values()) {
            ResourceState kept = existing.get(d.logicalId());
            if (kept != null && unchanged(kept, d)) {
                out.put(d.logicalId(), kept); // unchanged resource: its dynamic references are not re-read
                continue;
            }
            List<String> versions = new ArrayList<>();
            for (StackTemplate.SecretRef ref : d.secretRefs()) {
                versions.add(secretsFor(ref.secretId()).resolveVersion(ref.secretId(), ref.versionStage(), ref.versionId())
                        .orElseThrow(() -> new AwsError("ResourceNotFoundException",
                                "Secrets Manager can't find the specified secret. (Service: AWSSecretsManager;"
                                        + " resolving " + ref.secretId() + " for " + d.logicalId() + ")", 400)));
            }
            out.put(d.logicalId(), new ResourceState(d.logicalId(), d.type(), d.resolvedProperties(),
                    List.copyOf(versions), clock.now()));
            if (keyUsers != null) {
                versions.forEach(v -> accessKeyOf(v).ifPresent(key ->
                        keyUsers.consumerCreated(stackName + "/" + d.logicalId(), key, clock.now())));
            }
        }
        return out;
    }

    private static boolean sameResources(Map<String, StackTemplate.DesiredResource> desired,
                                         Map<String, ResourceState> existing) {
        if (!desired.keySet().equals(existing.keySet())) {
            return false;
        }
        return desired.values().stream().allMatch(d -> unchanged(existing.get(d.logicalId()), d));
    }

    private static boolean unchanged(ResourceState existing, StackTemplate.DesiredResource desired) {
        return existing.type().equals(desired.type()) && existing.properties().equals(desired.resolvedProperties());
    }

    private Fault takeFault(Stack s, Map<String, String> params) {
        for (Fault f : s.faults) {
            if (f.key() == null || f.value().equals(params.get(f.key()))) {
                s.faults.remove(f);
                return f;
            }
        }
        return null;
    }

    /** The first resource the update would delete that the stack policy protects, or null. */
    private String deniedByPolicy(Stack s, Map<String, StackTemplate.DesiredResource> desired) {
        if (s.policy == null) {
            return null;
        }
        for (String logicalId : s.resources.keySet()) {
            if (!desired.containsKey(logicalId)
                    && !StackPolicyRules.allowsDelete(s.policy, logicalId, s.resources.get(logicalId).type())) {
                return logicalId;
            }
        }
        return null;
    }

    private static String firstResource(Stack s) {
        return s.resources.keySet().stream().findFirst().orElse("Stack");
    }

    private Optional<Stack> findByName(String name) {
        return stacks.values().stream()
                .filter(s -> s.name.equals(name) && !"DELETE_COMPLETE".equals(s.status)).findFirst();
    }

    private Stack requireByName(String name) {
        return findByName(name).orElseThrow(() -> new IllegalArgumentException("no simulated stack named " + name));
    }

    private Stack requireForApi(String nameOrId) {
        Stack s = nameOrId != null && nameOrId.startsWith("arn:") ? stacks.get(nameOrId)
                : findByName(nameOrId).orElse(null);
        if (s == null || "DELETE_COMPLETE".equals(s.status) && !nameOrId.startsWith("arn:")) {
            throw AwsError.validation("Stack with id " + nameOrId + " does not exist");
        }
        return s;
    }
}
