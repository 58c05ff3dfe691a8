package io.tokenrotator.contract;

/**
 * Output of the Start Rotation handler (the EventBridge target): whether an execution was started, its name, and
 * why not when it was not (an AWSPENDING-only put, a metadata-only UpdateSecret, an execution that already exists).
 */
public record StartRotationOutput(boolean started, String executionName, String secretArn, String versionId,
                                  String detail) {}
