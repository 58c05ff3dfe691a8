package io.tokenrotator.contract;

/** What an UpdateStack call did. */
public enum UpdateResult {
    /** CloudFormation accepted the update; poll Stack Status until it settles. */
    UPDATE_STARTED,
    /** "No updates are to be performed" and the parameter already holds the target value. */
    ALREADY_AT_TARGET,
    /**
     * "No updates are to be performed" although the parameter holds another value: no resource depends on it,
     * so nothing can be re-created. The stack keeps its current value.
     */
    NO_RESOURCE_CHANGE
}
