package io.tokenrotator.port;

import java.util.List;
import java.util.Map;

/** A stack as DescribeStacks shows it. NoEcho parameter values read as "****". */
public record StackDescription(String name, String id, String status, String statusReason,
                               Map<String, String> parameters, List<String> capabilities, String parentId) {
    public static final String MASKED = "****";
}
