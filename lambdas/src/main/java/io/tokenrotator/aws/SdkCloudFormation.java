package io.tokenrotator.aws;

import io.tokenrotator.port.CloudFormationPort;
import io.tokenrotator.port.StackDescription;
import io.tokenrotator.port.StackUpdate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;
import software.amazon.awssdk.services.cloudformation.model.TokenAlreadyExistsException;
import software.amazon.awssdk.services.cloudformation.model.UpdateStackRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** {@link CloudFormationPort} over the AWS SDK v2 CloudFormation client. */
public final class SdkCloudFormation implements CloudFormationPort {
    /**
     * UpdateStack is sent once per call, never retried by the SDK: a throttled update changed nothing, and the
     * workflow's phase loop tries it again later with the same ClientRequestToken, away from the other stacks'
     * start slots. The SDK's own retries (three more attempts within a few seconds in the default mode) would each
     * spend another call of the account's UpdateStack rate in the slots of other stacks, and be throttled in turn.
     * A request-level plugin replaces the retry strategy for this one request (SDK developer guide, "Configure
     * retry behavior"; {@code RequestOverrideConfiguration.Builder#addPlugin}).
     */
    static final SdkPlugin SEND_ONCE = config -> config.overrideConfiguration(
            o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));

    private final CloudFormationClient client;

    public SdkCloudFormation(CloudFormationClient client) {
        this.client = client;
    }

    @Override
    public Stream<StackDescription> describeAllStacks() {
        List<StackDescription> all = call(null, () -> client.describeStacksPaginator(r -> { }).stacks().stream()
                .map(SdkCloudFormation::toDescription).toList());
        return all.stream();
    }

    @Override
    public Optional<StackDescription> describeStack(String stackNameOrId) {
        try {
            return client.describeStacks(r -> r.stackName(stackNameOrId)).stacks().stream()
                    .findFirst().map(SdkCloudFormation::toDescription);
        } catch (AwsServiceException e) {
            if (CloudFormationErrors.isDoesNotExist(e)) {
                return Optional.empty();
            }
            throw CloudFormationErrors.translate(stackNameOrId, e);
        } catch (SdkException e) {
            throw CloudFormationErrors.translate(stackNameOrId, e);
        }
    }

    @Override
    public String originalTemplate(String stackId) {
        return call(stackId, () -> client.getTemplate(r -> r.stackName(stackId).templateStage(TemplateStage.ORIGINAL))
                .templateBody());
    }

    @Override
    public Optional<String> stackPolicy(String stackId) {
        return call(stackId, () -> Optional.ofNullable(client.getStackPolicy(r -> r.stackName(stackId)).stackPolicyBody())
                .filter(body -> !body.isBlank()));
    }

    @Override
    public UpdateOutcome updateStack(StackUpdate update) {
        try {
            client.updateStack(toRequest(update).toBuilder().overrideConfiguration(o -> o.addPlugin(SEND_ONCE))
                    .build());
            return UpdateOutcome.STARTED;
        } catch (TokenAlreadyExistsException e) {
            // the token names (run, stack, phase, attempt): CloudFormation accepted this very request before, and
            // only its answer was lost (a timed-out invocation retried by the workflow)
            return UpdateOutcome.STARTED;
        } catch (AwsServiceException e) {
            if (CloudFormationErrors.isNoUpdates(e)) {
                return UpdateOutcome.NO_UPDATES;
            }
            throw CloudFormationErrors.translate(update.stackId(), e);
        } catch (SdkException e) {
            throw CloudFormationErrors.translate(update.stackId(), e);
        }
    }

    /** The exact UpdateStack request: visible to tests, which check it field by field. */
    static UpdateStackRequest toRequest(StackUpdate update) {
        UpdateStackRequest.Builder b = UpdateStackRequest.builder()
                .stackName(update.stackId())
                .parameters(update.parameters().stream().map(p -> p.usePreviousValue()
                        ? Parameter.builder().parameterKey(p.key()).usePreviousValue(true).build()
                        : Parameter.builder().parameterKey(p.key()).parameterValue(p.value()).build()).toList())
                .capabilitiesWithStrings(update.capabilities())
                .clientRequestToken(update.clientRequestToken());
        if (update.templateUrl() != null) {
            b.templateURL(update.templateUrl());
        } else if (update.templateBody() != null) {
            b.templateBody(update.templateBody());
        } else {
            b.usePreviousTemplate(true);
        }
        return b.build();
    }

    private static StackDescription toDescription(Stack s) {
        Map<String, String> params = new LinkedHashMap<>();
        s.parameters().forEach(p -> params.put(p.parameterKey(), p.parameterValue()));
        return new StackDescription(s.stackName(), s.stackId(), s.stackStatusAsString(), s.stackStatusReason(),
                params, s.capabilitiesAsStrings(), s.parentId(), s.rootId(), s.creationTime(), s.lastUpdatedTime());
    }

    private static <T> T call(String stackName, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw CloudFormationErrors.translate(stackName, e);
        }
    }
}
