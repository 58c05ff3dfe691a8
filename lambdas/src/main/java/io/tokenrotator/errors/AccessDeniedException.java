package io.tokenrotator.errors;

/**
 * Terminal: an AWS service refused a call for lack of permission. The message names the service, the action and
 * the resource, and says what to grant to which role. Retrying does not help: IAM has to change.
 * The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 */
public class AccessDeniedException extends TokenRotatorException {
    private final String service;
    private final String action;

    /**
     * @param service  the service's name as people say it ("Secrets Manager")
     * @param action   the IAM action that was refused ("secretsmanager:DescribeSecret"), or null when unknown
     * @param resource the resource it was refused on, or null when unknown
     */
    public AccessDeniedException(String stackName, String service, String action, String resource, String awsMessage) {
        super(stackName, "access denied: " + service + " refused " + (action == null ? "the call" : action)
                + (resource == null ? "" : " on " + resource) + ". Fix: grant " + (action == null ? "the action" : action)
                + " on " + (resource == null ? "that resource" : resource) + " to the role that made the call"
                + " (AWS said: " + awsMessage + ")");
        this.service = service;
        this.action = action;
    }

    public String service() {
        return service;
    }

    /** The refused IAM action, or null when AWS's message did not name it. */
    public String action() {
        return action;
    }
}
