package io.tokenrotator.contract;

import java.util.List;

/** The secret that triggered a run, resolved through DescribeSecret. Never holds a value. */
public record SecretSummary(String arn, String name, String versionId, List<String> versionStages) {}
