package io.tokenrotator.credential;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A kind of credential the lifecycle can own. The workflow and its services talk only to this interface: another
 * kind (Secrets Manager's own RotateSecret, a database password) is one more implementation.
 */
public interface CredentialKind {
    /** A credential as its issuer lists it: id (not secret), whether it works, when it was made. */
    record State(String id, boolean active, Instant created) {}

    /** A credential just made and stored: its id and the secret version that holds it. */
    record Created(String id, String versionId) {}

    /** When the credential was last used, by what and where (all empty when never). */
    record LastUse(Optional<Instant> date, String service, String region) {}

    /** How many credentials may exist at once for one owner (IAM: two access keys per user). */
    int limit();

    List<State> list(ManagedCredential credential);

    /**
     * Creates a credential, tells {@code created} its id, waits until it works, and hands its secret value (the
     * whole secret string) to {@code store}, which puts it in the secret and returns the version id. The secret
     * value exists only inside this call. If waiting or storing fails, the new credential is removed again and the
     * failure rethrown.
     */
    Created createAndStore(ManagedCredential credential, Consumer<String> created, Function<String, String> store);

    LastUse lastUse(ManagedCredential credential, String id);

    void deactivate(ManagedCredential credential, String id);

    void delete(ManagedCredential credential, String id);
}
