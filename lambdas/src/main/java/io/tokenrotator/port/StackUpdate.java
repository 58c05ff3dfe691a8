package io.tokenrotator.port;

import java.util.List;

/**
 * An UpdateStack request. {@code templateBody} null means UsePreviousTemplate. A parameter with a null value is
 * sent as UsePreviousValue=true.
 */
public record StackUpdate(String stackId, String templateBody, List<Parameter> parameters, List<String> capabilities,
                          String clientRequestToken) {
    public record Parameter(String key, String value) {
        public boolean usePreviousValue() {
            return value == null;
        }
    }
}
