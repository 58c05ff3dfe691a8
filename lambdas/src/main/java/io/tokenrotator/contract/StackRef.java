package io.tokenrotator.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A stack as the workflow passes it between states: its name for people, its id (ARN) for every call. In JSON
 * either {@code {"stackName": ..., "stackId": ...}} or a plain string, the stack's name or its ARN.
 */
public record StackRef(String stackName, String stackId) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public StackRef(@JsonProperty("stackName") String stackName, @JsonProperty("stackId") String stackId) {
        this.stackName = stackName;
        this.stackId = stackId;
    }

    /** A plain string: an ARN is the stack's id, anything else its name. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static StackRef of(String nameOrId) {
        return nameOrId != null && nameOrId.startsWith("arn:") ? new StackRef(null, nameOrId)
                : new StackRef(nameOrId, null);
    }

    /** What to call CloudFormation with: the id when known (it survives a re-created stack of the same name). */
    @JsonIgnore
    public String identifier() {
        return stackId != null ? stackId : stackName;
    }
}
