package io.tokenrotator.credential;

import io.tokenrotator.errors.CredentialNotWorkingException;
import io.tokenrotator.json.Json;
import io.tokenrotator.port.AccessKeysPort;
import io.tokenrotator.port.AccessKeysPort.NewAccessKey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An IAM user's access key. The secret holds {@code {"accessKeyId": ..., "secretAccessKey": ...}}. A new key is
 * checked with STS GetCallerIdentity until it authenticates (IAM is eventually consistent and gives no figure;
 * AWS-FACTS "IAM access keys"), every {@value #CHECK_EVERY_SECONDS} s for up to {@link #PROPAGATION_TIMEOUT}.
 */
public final class IamAccessKeys implements CredentialKind {
    static final long CHECK_EVERY_SECONDS = 2;
    static final Duration PROPAGATION_TIMEOUT = Duration.ofMinutes(2);
    /** IAM's quota: two access keys per user (IAM user guide, "IAM and AWS STS quotas"). */
    static final int KEYS_PER_USER = 2;

    private final AccessKeysPort iam;
    private final Clock clock;

    public IamAccessKeys(AccessKeysPort iam, Clock clock) {
        this.iam = iam;
        this.clock = clock;
    }

    @Override
    public int limit() {
        return KEYS_PER_USER;
    }

    @Override
    public List<State> list(ManagedCredential credential) {
        return iam.list(credential.userName()).stream()
                .map(k -> new State(k.accessKeyId(), k.active(), k.created())).toList();
    }

    @Override
    public Created createAndStore(ManagedCredential credential, Consumer<String> created,
                                  Function<String, String> store) {
        NewAccessKey key = iam.create(credential.userName());
        try {
            created.accept(key.accessKeyId());
            awaitWorking(key);
            Map<String, String> value = new LinkedHashMap<>();
            value.put("accessKeyId", key.accessKeyId());
            value.put("secretAccessKey", key.secretAccessKey());
            return new Created(key.accessKeyId(), store.apply(Json.write(value)));
        } catch (RuntimeException e) {
            iam.delete(credential.userName(), key.accessKeyId()); // nothing holds it: its secret part dies here
            throw e;
        }
    }

    private void awaitWorking(NewAccessKey key) {
        Instant deadline = clock.instant().plus(PROPAGATION_TIMEOUT);
        while (!iam.works(key)) {
            if (!clock.instant().isBefore(deadline)) {
                throw new CredentialNotWorkingException("the new access key " + key.accessKeyId()
                        + " did not authenticate with STS within " + PROPAGATION_TIMEOUT.toSeconds()
                        + " s of its creation; it was deleted again");
            }
            Pause.until(clock, clock.instant().plusSeconds(CHECK_EVERY_SECONDS));
        }
    }

    @Override
    public LastUse lastUse(ManagedCredential credential, String id) {
        AccessKeysPort.LastUse used = iam.lastUsed(id);
        return new LastUse(used.date(), used.serviceName(), used.region());
    }

    @Override
    public void deactivate(ManagedCredential credential, String id) {
        iam.setActive(credential.userName(), id, false);
    }

    @Override
    public void delete(ManagedCredential credential, String id) {
        iam.delete(credential.userName(), id);
    }
}
