package io.tokenrotator.contract;

/**
 * What a rotation is asked to do: the state machine's execution input, passed to Find Stacks unchanged. Every
 * field is optional; the deployment's configuration fills what is left out. {@code dryRun} stops the workflow
 * after Find Stacks; {@code maxConcurrency} overrides the deployment's setting for this run.
 */
public record RotationRequest(String parameterName, String secretId, String versionId, String stackNamePrefix,
                              String selection, Boolean dryRun, Integer maxConcurrency) {
    public static RotationRequest empty() {
        return new RotationRequest(null, null, null, null, null, null, null);
    }
}
