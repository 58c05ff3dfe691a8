package io.tokenrotator.port;

import java.util.List;
import java.util.Map;

/**
 * A stack as DescribeStacks shows it. NoEcho parameter values read as "****". {@code parentId} and {@code rootId}
 * are set for nested stacks only.
 */
public record StackDescription(String name, String id, String status, String statusReason,
                               Map<String, String> parameters, List<String> capabilities, String parentId,
                               String rootId) {
    public static final String MASKED = "****";
}
