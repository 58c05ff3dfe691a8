package io.tokenrotator.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stack as DescribeStacks shows it. NoEcho parameter values read as "****". {@code parentId} and {@code rootId}
 * are set for nested stacks only. {@code lastUpdatedTime} is absent until the stack's first update ("This field will
 * only be returned if the stack has been updated at least once", DescribeStacks API reference, Stack).
 */
public record StackDescription(String name, String id, String status, String statusReason,
                               Map<String, String> parameters, List<String> capabilities, String parentId,
                               String rootId, Instant creationTime, Instant lastUpdatedTime) {
    public static final String MASKED = "****";
}
