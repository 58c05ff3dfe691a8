package io.tokenrotator.service;

import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.contract.RunSettings;
import io.tokenrotator.contract.StackRef;
import io.tokenrotator.contract.StatusClass;
import io.tokenrotator.contract.UpdateResult;
import io.tokenrotator.contract.UpdateStackInput;
import io.tokenrotator.contract.UpdateStackOutput;
import io.tokenrotator.errors.SlotMissedException;
import io.tokenrotator.errors.StackBusyException;
import io.tokenrotator.errors.StackLeasedException;
import io.tokenrotator.errors.StackNotUpdatableException;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.CloudFormationPort;
import io.tokenrotator.target.SecretReplicas;
import io.tokenrotator.port.StackDescription;
import io.tokenrotator.port.StackLeases;
import io.tokenrotator.port.StackUpdate;
import io.tokenrotator.port.TemplateStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sets the rotation parameter of one stack to "true" or "false" with UpdateStack: the previous template (the
 * original one for AWS::LanguageExtensions stacks: as TemplateBody, or uploaded to the run bucket and passed as
 * TemplateURL when over the TemplateBody limit), every other parameter UsePreviousValue, the stack's own
 * capabilities (plus CAPABILITY_AUTO_EXPAND with a Transform), no RoleARN (the stack keeps its service role), and a
 * deterministic ClientRequestToken.
 */
public final class UpdateStackService {
    private final CloudFormationPort cloudFormation;
    private final TemplateStore templates;
    private final StackLeases leases;
    private final JsonLog log;
    private final SecretReplicas replicas;
    private final Clock clock;
    private final StartSlots.Sleeper sleeper;

    public UpdateStackService(CloudFormationPort cloudFormation, TemplateStore templates, StackLeases leases,
                              JsonLog log) {
        this(cloudFormation, templates, leases, log, null, Clock.systemUTC());
    }

    /**
     * With {@code replicas}: a stack in a replica's region waits until the replica has the run's version.
     * {@code clock} times the wait for the call's point ({@code sendAt}).
     */
    public UpdateStackService(CloudFormationPort cloudFormation, TemplateStore templates, StackLeases leases,
                              JsonLog log, SecretReplicas replicas, Clock clock) {
        this(cloudFormation, templates, leases, log, replicas, clock, StartSlots.sleeperOn(clock));
    }

    UpdateStackService(CloudFormationPort cloudFormation, TemplateStore templates, StackLeases leases,
                       JsonLog log, SecretReplicas replicas, Clock clock, StartSlots.Sleeper sleeper) {
        this.cloudFormation = cloudFormation;
        this.templates = templates;
        this.leases = leases;
        this.log = log;
        this.replicas = replicas;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public UpdateStackOutput update(UpdateStackInput input) {
        if (input == null) {
            input = new UpdateStackInput(null, null, null, null, null);
        }
        StackRef ref = InputRules.stack(input.stack());
        String target = InputRules.target(input.target());
        String parameterName = InputRules.parameterName(input.parameterName());
        String runId = InputRules.runId(input.runId());
        int attempt = InputRules.attempt(input.attempt());
        Instant sendAt = InputRules.instant("sendAt", input.sendAt());
        Instant lateSendAt = InputRules.tries(input.tries()) == 0
                ? InputRules.instant("lateSendAt", input.lateSendAt()) : null;
        RunSettings settings = input.settings() == null ? DeploymentSettings.DEFAULTS.runSettings()
                : InputRules.settings("settings", input.settings());

        StackDescription stack = describe(ref);
        ref = new StackRef(stack.name(), stack.id()); // a name resolves to the id once, then every call uses the id
        String previous = stack.parameters().get(parameterName);
        if (previous == null) {
            throw new StackNotUpdatableException(ref.stackName(), "it has no parameter " + parameterName);
        }
        InputRules.notNoEcho(ref.stackName(), parameterName, previous);
        if (replicas != null) {
            replicas.awaitVersion(runId, ref.stackName(), ref.stackId(), target);
        }
        lease(ref, runId, settings);
        String template = cloudFormation.originalTemplate(ref.stackId());
        TemplateFacts facts = new TemplateFacts(template);
        if ("false".equals(target)) {
            checkStackPolicy(ref, parameterName, facts);
        }
        String token = RequestTokens.forUpdate(runId, ref.stackId(), target, attempt);
        String body = facts.usesLanguageExtensions() ? template : null;
        String url = body != null && !facts.fitsTemplateBody() ? templates.upload(runId, ref.stackId(), body) : null;
        StackUpdate update = new StackUpdate(ref.stackId(), url == null ? body : null, url,
                parameters(stack, parameterName, target), facts.capabilitiesFor(stack.capabilities()), token);

        Instant now = clock.instant();
        if (StartSlots.missed(sendAt, lateSendAt, now)) {
            log.info("slot missed", "stack", ref.stackName(), "phase", target, "sendAt", sendAt.toString(),
                    "now", now.toString(), "lateSendAt", lateSendAt.toString());
            throw new SlotMissedException(ref.stackName(), "reached Update Stack at " + now + ", more than five seconds"
                    + " after its point " + sendAt + ": not sent; it goes to its late point " + lateSendAt);
        }
        StartSlots.awaitSend(sendAt, now, sleeper); // after every read: the call itself goes at its point
        long sentLateMillis = sendAt == null ? 0 : Math.max(0, Duration.between(sendAt, clock.instant()).toMillis());
        UpdateResult result = switch (cloudFormation.updateStack(update)) {
            case STARTED -> UpdateResult.UPDATE_STARTED;
            case NO_UPDATES -> noUpdates(ref, parameterName, target);
        };
        log.info("update stack", "stack", ref.stackName(), "phase", target, "attempt", attempt,
                "outcome", result, "previousValue", previous, "sentLateMillis", sentLateMillis);
        return new UpdateStackOutput(ref.stackName(), ref.stackId(), target, previous, result, token);
    }

    private StackDescription describe(StackRef ref) {
        StackDescription stack = cloudFormation.describeStack(ref.identifier()).orElseThrow(() ->
                new StackNotUpdatableException(ref.stackName(), "CloudFormation reports that the stack does not exist"));
        StatusClass status = StatusRules.classify(stack.status());
        if (status == StatusClass.IN_PROGRESS) {
            throw new StackBusyException(ref.stackName(), "it is in " + stack.status()
                    + " state and can not be updated yet");
        }
        if (status == StatusClass.FAILED || status == StatusClass.DELETED) {
            throw new StackNotUpdatableException(ref.stackName(), "it is in " + stack.status()
                    + " state and can not be updated" + (stack.statusReason() == null ? "" : ": " + stack.statusReason()));
        }
        return stack;
    }

    /** Two runs never update one stack at the same time: take (phase 1) or renew (later updates) the run's lease. */
    private void lease(StackRef ref, String runId, RunSettings settings) {
        leases.acquire(ref.stackId(), runId, settings.leaseTimeToLive()).ifPresent(other -> {
            throw new StackLeasedException(ref.stackName(), "another Token Rotator run (" + other.runId()
                    + ") is rotating it; its lease lasts until " + other.expiresAt() + " unless that run releases it");
        });
    }

    private void checkStackPolicy(StackRef ref, String parameterName, TemplateFacts facts) {
        Optional<String> policy = cloudFormation.stackPolicy(ref.stackId());
        if (policy.isEmpty()) {
            return;
        }
        Map<String, String> gated = facts.resourcesWithCondition(parameterName);
        StackPolicyCheck.firstProtected(policy.get(), gated).ifPresent(id -> {
            throw new StackNotUpdatableException(ref.stackName(), "its stack policy does not allow [Update:Delete]"
                    + " for resource [LogicalResourceId/" + id + "], which " + parameterName + "=false must delete."
                    + " Allow Update:Delete on the gated resources, or leave this stack out (stackNamePrefix)");
        });
    }

    private static List<StackUpdate.Parameter> parameters(StackDescription stack, String parameterName, String target) {
        List<StackUpdate.Parameter> out = new ArrayList<>();
        for (String key : stack.parameters().keySet()) {
            out.add(new StackUpdate.Parameter(key, key.equals(parameterName) ? target : null));
        }
        return out;
    }

    /** "No updates are to be performed": confirm the actual value before calling the phase done. */
    private UpdateResult noUpdates(StackRef ref, String parameterName, String target) {
        String now = cloudFormation.describeStack(ref.stackId())
                .map(s -> s.parameters().get(parameterName)).orElse(null);
        return target.equals(now) ? UpdateResult.ALREADY_AT_TARGET : UpdateResult.NO_RESOURCE_CHANGE;
    }
}
