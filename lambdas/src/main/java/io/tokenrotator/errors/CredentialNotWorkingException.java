package io.tokenrotator.errors;

/**
 * Retryable: a credential just created did not authenticate in time (IAM is eventually consistent). It was deleted
 * again and nothing was stored; a new attempt creates another. The lifecycle matches this class's fully qualified
 * name in ErrorEquals: never wrap it.
 */
public class CredentialNotWorkingException extends TokenRotatorException {
    public CredentialNotWorkingException(String message) {
        super(null, message);
    }
}
