package io.tokenrotator.service;

import io.tokenrotator.contract.FindStacksInput;
import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.FindStacksOutput;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.SecretSummary;
import io.tokenrotator.contract.SkipReason;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.contract.UnreachableTarget;
import io.tokenrotator.port.CloudFormationPort;
import io.tokenrotator.target.Target;
import io.tokenrotator.target.TargetAccess;
import io.tokenrotator.port.RunStore;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.port.StackDescription;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Finds the stacks to rotate: every stack that declares the parameter, across all DescribeStacks pages, less
 * nested stacks, stacks that can never be updated, prefix misses and (selection=referencing) stacks whose
 * template does not reference the secret. Stacks already at "false" and busy stacks are kept: the workflow
 * restores the first and waits for the second. With a secret, a version that is not AWSCURRENT rotates nothing.
 */
public final class FindStacksService {

    private final TargetAccess targets;
    private final SecretsPort secrets;
    private final RunStore store;
    private final JsonLog log;
    private final Clock clock;

    public FindStacksService(CloudFormationPort cloudFormation, SecretsPort secrets, RunStore store, JsonLog log) {
        this(cloudFormation, secrets, store, log, Clock.systemUTC());
    }

    /** {@code clock} gives the run's start, from which the planned stacks' start slots count. */
    public FindStacksService(CloudFormationPort cloudFormation, SecretsPort secrets, RunStore store, JsonLog log,
                             Clock clock) {
        this(TargetAccess.single(cloudFormation, secrets), secrets, store, log, clock);
    }

    /** Over every target of the deployment: each one's stacks listed with its own clients. */
    public FindStacksService(TargetAccess targets, SecretsPort secrets, RunStore store, JsonLog log, Clock clock) {
        this.targets = targets;
        this.secrets = secrets;
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    /** Discovery without storing anything: what the CLI's plan command shows. */
    public Plan plan(InputRules.FindRequest request) {
        SecretSummary secret = null;
        String ignoredReason = null;
        if (request.secretId() != null) {
            SecretsPort.SecretDescription described = secrets.describeSecret(request.secretId()).orElseThrow(() ->
                    new InvalidInputException("secretId", "'" + request.secretId() + "' names no secret that"
                            + " DescribeSecret can see in this account and region"));
            InputRules.versionExists(request.versionId(), described.name(), described.versionIdsToStages());
            secret = summary(described, request.versionId());
            ignoredReason = notCurrentReason(secret, request.versionId());
        }
        List<PlannedStack> toRotate = new ArrayList<>();
        List<SkippedStack> skipped = new ArrayList<>();
        List<UnreachableTarget> unreachable = new ArrayList<>();
        if (ignoredReason == null) {
            for (Target target : targets.targets().all()) {
                CloudFormationPort cloudFormation = targets.cloudFormation(target);
                List<StackDescription> declaring;
                try {
                    declaring = cloudFormation.describeAllStacks().filter(stack -> parameter(stack, request) != null)
                            .toList();
                } catch (RuntimeException e) {
                    if (!targets.targets().multiple()) {
                        throw e; // one account: its errors are the run's, as before
                    }
                    unreachable.add(unreachable(target, e));
                    log.info("target unreachable", "target", target.id(), "reason", e.getMessage());
                    continue;
                }
                plan(cloudFormation, declaring, request, secret, toRotate, skipped);
            }
        }
        return new Plan(request.runId(), request.parameterName(), request.versionParameterName(), secret, ignoredReason,
                slots(toRotate, request.settings().updateStackRate(), request.settings().pollSeconds()), skipped, unreachable);
    }

    /** One target's stacks: planned or skipped, indices continuing the run's. */
    private void plan(CloudFormationPort cloudFormation, List<StackDescription> declaring,
                      InputRules.FindRequest request, SecretSummary secret, List<PlannedStack> toRotate,
                      List<SkippedStack> skipped) {
        Scope scope = new Scope(request, secret, rootsOfReferencingNestedStacks(cloudFormation, declaring, request,
                secret), cloudFormation);
        Set<String> planned = new HashSet<>();
        for (StackDescription stack : declaring) { // roots first: a nested stack's skip says if its root rotates
            if (stack.parentId() == null) {
                skipReason(stack, scope).ifPresentOrElse(skipped::add, () -> {
                    planned.add(stack.id());
                    toRotate.add(planned(toRotate.size(), stack, request, scope.secret()));
                });
            }
        }
        declaring.stream().filter(stack -> stack.parentId() != null)
                .forEach(stack -> skipped.add(nested(stack, parameter(stack, request), planned)));
    }

    /**
     * Start slots per target: each account and region has its own CloudFormation rate limits, so each gets the whole
     * budget and a slow target never holds back another's slots.
     */
    private List<PlannedStack> slots(List<PlannedStack> toRotate, int rate, int pollSeconds) {
        Map<String, List<PlannedStack>> byTarget = new LinkedHashMap<>();
        for (PlannedStack p : toRotate) {
            String target = targets.targets().forStack(p.stackId()).map(Target::id).orElse("");
            byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(p);
        }
        Instant start = clock.instant().plus(StartSlots.startAllowance(toRotate.size()));
        List<PlannedStack> slotted = new ArrayList<>();
        byTarget.values().forEach(group -> slotted.addAll(StartSlots.assign(group, start, rate, pollSeconds)));
        slotted.sort(Comparator.comparingInt(PlannedStack::index));
        return slotted;
    }

    /** Why a target could not be listed, and what to do about it. */
    private static UnreachableTarget unreachable(Target target, RuntimeException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String action = target.home()
                ? "check this deployment's own permissions in " + target.region()
                : "check that " + target.roleArn() + " exists (the target role stack set reached account "
                + target.account() + "), trusts this deployment's functions" + (target.externalId() == null ? ""
                : " with the configured external id") + ", and that region " + target.region()
                + " is enabled in the account; then start the rotation again";
        return new UnreachableTarget(target.id(), reason, action);
    }

    /**
     * The convention a stack follows, by the parameter it declares: {@code parameterName} (RotateToken) or
     * {@code versionParameterName} (TokenVersion); null when it declares neither. A stack with both is
     * {@link Convention#ROTATE_TOKEN} here and skipped as {@link SkipReason#BOTH_CONVENTIONS}.
     */
    private static Convention convention(StackDescription stack, InputRules.FindRequest request) {
        if (stack.parameters().containsKey(request.parameterName())) {
            return Convention.ROTATE_TOKEN;
        }
        return stack.parameters().containsKey(request.versionParameterName()) ? Convention.IN_PLACE : null;
    }

    /** The parameter the run sets on this stack, or null when it declares neither convention's. */
    private static String parameter(StackDescription stack, InputRules.FindRequest request) {
        Convention convention = convention(stack, request);
        return convention == null ? null
                : convention == Convention.ROTATE_TOKEN ? request.parameterName() : request.versionParameterName();
    }

    private static PlannedStack planned(int index, StackDescription stack, InputRules.FindRequest request,
                                        SecretSummary secret) {
        Convention convention = convention(stack, request);
        String parameter = parameter(stack, request);
        String target = convention == Convention.ROTATE_TOKEN ? "true" : secret.versionId();
        return new PlannedStack(index, stack.name(), stack.id(), stack.status(), stack.parameters().get(parameter),
                convention, parameter, target);
    }

    public FindStacksOutput find(FindStacksInput input, InputRules.Defaults defaults) {
        InputRules.FindRequest request = InputRules.find(input, defaults);
        Plan plan = plan(request);
        String location = store.savePlan(plan);
        Map<SkipReason, Integer> byReason = new EnumMap<>(SkipReason.class);
        plan.skipped().forEach(s -> byReason.merge(s.reason(), 1, Integer::sum));
        log.info("found stacks", "runId", plan.runId(), "toRotate", plan.toRotate().size(),
                "skipped", plan.skipped().size(), "ignoredReason", plan.ignoredReason(), "plan", location);
        return new FindStacksOutput(plan.runId(), plan.parameterName(), plan.versionParameterName(), plan.secret(),
                plan.ignoredReason(),
                plan.toRotate().size(), plan.skipped().size(),
                IntStream.range(0, plan.toRotate().size()).boxed().toList(),
                plan.toRotate().stream().limit(FindStacksOutput.PREVIEW_LIMIT).map(PlannedStack::stackName).toList(),
                plan.skipped().stream().limit(FindStacksOutput.PREVIEW_LIMIT).toList(), byReason, location,
                request.dryRun(), request.settings());
    }

    /** What decides whether one stack is planned. */
    private record Scope(InputRules.FindRequest request, SecretSummary secret, Set<String> rootsToRotate,
                         CloudFormationPort cloudFormation) {}

    /**
     * With selection=referencing, the root stacks whose nested stacks reference the secret: the nested stacks are
     * updated through their root (the root passes the parameter down), so the root is rotated even when its own
     * template holds only the AWS::CloudFormation::Stack resource.
     */
    private Set<String> rootsOfReferencingNestedStacks(CloudFormationPort cloudFormation,
                                                       List<StackDescription> declaring, InputRules.FindRequest request,
                                                       SecretSummary secret) {
        if (request.selection() != InputRules.Selection.REFERENCING) {
            return Set.of();
        }
        Set<String> roots = new HashSet<>();
        for (StackDescription s : declaring) {
            if (s.parentId() != null && s.rootId() != null && !roots.contains(s.rootId())
                    && references(cloudFormation, s, secret)) {
                roots.add(s.rootId());
            }
        }
        return roots;
    }

    private static boolean references(CloudFormationPort cloudFormation, StackDescription s, SecretSummary secret) {
        return new TemplateFacts(cloudFormation.originalTemplate(s.id())).referencesSecret(secret.arn(), secret.name());
    }

    private Optional<SkippedStack> skipReason(StackDescription s, Scope scope) {
        InputRules.FindRequest request = scope.request();
        String parameter = parameter(s, request);
        if (request.prefix() != null && !s.name().startsWith(request.prefix())) {
            return skip(s, parameter, SkipReason.PREFIX_MISMATCH, "name does not start with '" + request.prefix() + "'");
        }
        if (StatusRules.neverUpdatable(s.status())) {
            return skip(s, parameter, SkipReason.NOT_UPDATABLE, "in " + s.status() + ", which can not be updated");
        }
        if (s.parameters().containsKey(request.parameterName())
                && s.parameters().containsKey(request.versionParameterName())) {
            return skip(s, parameter, SkipReason.BOTH_CONVENTIONS, "declares both " + request.parameterName() + " and "
                    + request.versionParameterName() + "; keep the one of the convention it follows (README,"
                    + " \"Consumer stacks\")");
        }
        if (convention(s, request) == Convention.IN_PLACE
                && (scope.secret() == null || scope.secret().versionId() == null)) {
            return skip(s, parameter, SkipReason.NO_VERSION_FOR_IN_PLACE, "an in-place stack: " + parameter
                    + " is set to the secret's new version id, and this run names no secret; start it with"
                    + " secretId (./token-rotator start --secret <secret>)");
        }
        if (StackDescription.MASKED.equals(s.parameters().get(parameter))) {
            return skip(s, parameter, SkipReason.PARAMETER_NOECHO, parameter + " is NoEcho, so its value"
                    + " cannot be confirmed; make it a plain parameter");
        }
        if (request.selection() == InputRules.Selection.REFERENCING && !scope.rootsToRotate().contains(s.id())
                && !references(scope.cloudFormation(), s, scope.secret())) {
            return skip(s, parameter, SkipReason.NOT_REFERENCING_SECRET, "template has no"
                    + " {{resolve:secretsmanager:...}} of " + scope.secret().name() + ", nor has any of its nested stacks");
        }
        return Optional.empty();
    }

    /** Nested stacks are updated through their root stack, never on their own. */
    private static SkippedStack nested(StackDescription s, String parameter, Set<String> plannedRoots) {
        boolean rootRotates = plannedRoots.contains(s.rootId());
        return skip(s, parameter, SkipReason.NESTED_STACK, "nested in " + s.parentId() + (rootRotates
                ? ": rotated through its root stack " + stackName(s.rootId()) + ", which this run updates"
                : ": updated through its root stack " + stackName(s.rootId()) + ", which this run does not"
                        + " update (give the root the parameter, or rotate the root)")).orElseThrow();
    }

    /** The name in a stack ARN (arn:...:stack/NAME/ID). */
    private static String stackName(String stackId) {
        if (stackId == null) {
            return "";
        }
        String[] parts = stackId.split("/");
        return parts.length >= 2 ? parts[1] : stackId;
    }

    private static Optional<SkippedStack> skip(StackDescription s, String parameterName, SkipReason reason,
                                               String detail) {
        return Optional.of(new SkippedStack(s.name(), s.id(), reason, detail, s.parameters().get(parameterName),
                s.status()));
    }

    private static SecretSummary summary(SecretsPort.SecretDescription d, String versionId) {
        String version = versionId != null ? versionId : d.currentVersion().orElse(null);
        List<String> stages = version == null ? List.of() : d.versionIdsToStages().getOrDefault(version, List.of());
        return new SecretSummary(d.arn(), d.name(), version, List.copyOf(stages));
    }

    private static String notCurrentReason(SecretSummary secret, String versionId) {
        if (versionId == null || secret.versionStages().contains(SecretsPort.SecretDescription.AWSCURRENT)) {
            return null;
        }
        return "version " + versionId + " of " + secret.name() + " has " + String.join(", ", secret.versionStages())
                + ", not AWSCURRENT: stacks"
                + " re-deployed now would re-read the old value. The run starts again when the version becomes"
                + " AWSCURRENT (Secrets Manager's Secret Label Updated event starts it)";
    }
}
