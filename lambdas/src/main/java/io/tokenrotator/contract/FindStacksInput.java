package io.tokenrotator.contract;

import io.tokenrotator.errors.InvalidInputException;

/**
 * Input of the Find Stacks handler, in either of two forms. The workflow sends {@code {"runId": <execution name>,
 * "request": <execution input>}}; a direct invocation may put the request's fields at the top level
 * ({@code {"parameterName": ..., "secretId": ..., ...}}), every one optional, {@code runId} too (one is generated).
 * {@link io.tokenrotator.service.InputRules} validates it and fills the defaults.
 */
public record FindStacksInput(String runId, RotationRequest request, String parameterName, String secretId,
                              String versionId, String stackNamePrefix, String selection, Boolean dryRun,
                              Integer maxConcurrency) {

    public FindStacksInput(String runId, RotationRequest request) {
        this(runId, request, null, null, null, null, null, null, null);
    }

    /** The request, from whichever form was used; both at once is an error. */
    public RotationRequest effectiveRequest() {
        RotationRequest topLevel = new RotationRequest(parameterName, secretId, versionId, stackNamePrefix, selection,
                dryRun, maxConcurrency);
        if (request == null) {
            return topLevel;
        }
        if (!topLevel.equals(RotationRequest.empty())) {
            throw new InvalidInputException("request", "expected the request's fields either inside request or at"
                    + " the top level, got both");
        }
        return request;
    }
}
