package io.tokenrotator.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The IAM calls the credential lifecycle makes on one user's access keys (IAM API reference: ListAccessKeys,
 * CreateAccessKey, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed). Never logs or returns a secret part
 * except {@link #create}'s, which goes straight into the secret.
 */
public interface AccessKeysPort {
    /** A key's metadata: its id (not secret), whether it is Active, when it was created. */
    record AccessKey(String accessKeyId, boolean active, Instant created) {}

    /** CreateAccessKey's answer: the only moment IAM gives out the secret part. toString() hides it. */
    record NewAccessKey(String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "NewAccessKey[" + accessKeyId + ", secret part hidden]";
        }
    }

    /** GetAccessKeyLastUsed: empty date when the key was never used (ServiceName "N/A"). */
    record LastUse(Optional<Instant> date, String serviceName, String region) {}

    List<AccessKey> list(String userName);

    NewAccessKey create(String userName);

    void setActive(String userName, String accessKeyId, boolean active);

    void delete(String userName, String accessKeyId);

    LastUse lastUsed(String accessKeyId);

    /**
     * Whether a freshly created key authenticates yet (STS GetCallerIdentity signed with it: needs no permission).
     * IAM is eventually consistent (IAM user guide, "Changes that I make are not always immediately visible").
     */
    boolean works(NewAccessKey key);
}
