package io.tokenrotator.port;

import java.util.List;

/**
 * An UpdateStack request. At most one of {@code templateBody} and {@code templateUrl}; both null means
 * UsePreviousTemplate. A parameter with a null value is sent as UsePreviousValue=true.
 */
public record StackUpdate(String stackId, String templateBody, String templateUrl, List<Parameter> parameters,
                          List<String> capabilities, String clientRequestToken) {
    public StackUpdate {
        if (templateBody != null && templateUrl != null) {
            throw new IllegalArgumentException("an update sends TemplateBody or TemplateURL, not both");
        }
    }

    public StackUpdate(String stackId, String templateBody, List<Parameter> parameters, List<String> capabilities,
                       String clientRequestToken) {
        this(stackId, templateBody, null, parameters, capabilities, clientRequestToken);
    }

    public record Parameter(String key, String value) {
        public boolean usePreviousValue() {
            return value == null;
        }
    }
}
