package io.tokenrotator.errors;

/**
 * Terminal: the input names a field that is missing or malformed. The message reads
 * {@code invalid input: <field>: <problem>}, e.g. {@code invalid input: request.maxConcurrency: expected an integer
 * from 1 to 10000, got 2.7}. The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 */
public class InvalidInputException extends TokenRotatorException {
    public InvalidInputException(String field, String problem) {
        super(null, "invalid input: " + field + ": " + problem);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
