package io.tokenrotator.errors;

/**
 * Terminal: the input names a field that is missing or malformed. The message reads
 * {@code invalid input: <field>: <problem>}, e.g. {@code invalid input: request.maxConcurrency: expected an integer
 * from 1 to 10000, got 2.7}. The workflow matches this class's fully qualified name in ErrorEquals: never wrap it.
 * Step Functions keeps at most 32,768 characters of an error's cause, so a problem longer than
 * {@value #PROBLEM_LIMIT} characters (one that echoes a huge value) is cut, with its full length.
 */
public class InvalidInputException extends TokenRotatorException {
    static final int PROBLEM_LIMIT = 1_000;

    public InvalidInputException(String field, String problem) {
        super(null, "invalid input: " + Messages.shorten(field, PROBLEM_LIMIT) + ": "
                + Messages.shorten(problem, PROBLEM_LIMIT));
    }
}
