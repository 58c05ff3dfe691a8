package io.tokenrotator.errors;

/**
 * Terminal: the input names a field that is missing or malformed. The message names the field.
 * The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 */
public class InvalidInputException extends TokenRotatorException {
    public InvalidInputException(String field, String problem) {
        super(null, "invalid input: " + field + " " + problem);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
