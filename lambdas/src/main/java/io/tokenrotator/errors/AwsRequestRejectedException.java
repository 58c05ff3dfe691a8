package io.tokenrotator.errors;

/**
 * Terminal: an AWS service (other than CloudFormation, whose refusals are {@link StackNotUpdatableException})
 * rejected a request for a reason a retry will not fix, e.g. a state machine that does not exist. Carries the
 * service, AWS's error code and message.
 * The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 */
public class AwsRequestRejectedException extends TokenRotatorException {
    private final String errorCode;

    public AwsRequestRejectedException(String service, String errorCode, String message) {
        super(null, service + " rejected the request: " + errorCode + ": " + message);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }
}
