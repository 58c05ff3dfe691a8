package io.tokenrotator.aws;

import io.tokenrotator.errors.TokenRotatorException;
import io.tokenrotator.port.AccessKeysPort;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyResponse;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.sts.StsClient;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * {@link AccessKeysPort} over the SDK v2 IAM client (ListAccessKeys through its paginator), and STS
 * GetCallerIdentity signed with a new key to see whether it works yet.
 */
public final class SdkAccessKeys implements AccessKeysPort {
    /** GetAccessKeyLastUsed's ServiceName for a key never used (IAM API reference, AccessKeyLastUsed). */
    static final String NOT_APPLICABLE = "N/A";

    private final IamClient iam;
    private final BiFunction<String, String, StsClient> stsSignedWith;

    public SdkAccessKeys(IamClient iam, BiFunction<String, String, StsClient> stsSignedWith) {
        this.iam = iam;
        this.stsSignedWith = stsSignedWith;
    }

    @Override
    public List<AccessKey> list(String userName) {
        return call(() -> iam.listAccessKeysPaginator(r -> r.userName(userName)).accessKeyMetadata().stream()
                .map(SdkAccessKeys::key).toList());
    }

    private static AccessKey key(AccessKeyMetadata m) {
        return new AccessKey(m.accessKeyId(), m.status() == StatusType.ACTIVE, m.createDate());
    }

    @Override
    public NewAccessKey create(String userName) {
        CreateAccessKeyResponse r = call(() -> iam.createAccessKey(b -> b.userName(userName)));
        return new NewAccessKey(r.accessKey().accessKeyId(), r.accessKey().secretAccessKey());
    }

    @Override
    public void setActive(String userName, String accessKeyId, boolean active) {
        call(() -> iam.updateAccessKey(b -> b.userName(userName).accessKeyId(accessKeyId)
                .status(active ? StatusType.ACTIVE : StatusType.INACTIVE)));
    }

    @Override
    public void delete(String userName, String accessKeyId) {
        call(() -> iam.deleteAccessKey(b -> b.userName(userName).accessKeyId(accessKeyId)));
    }

    @Override
    public LastUse lastUsed(String accessKeyId) {
        AccessKeyLastUsed used = call(() -> iam.getAccessKeyLastUsed(b -> b.accessKeyId(accessKeyId)))
                .accessKeyLastUsed();
        boolean never = used == null || used.lastUsedDate() == null || NOT_APPLICABLE.equals(used.serviceName());
        return never ? new LastUse(Optional.empty(), NOT_APPLICABLE, NOT_APPLICABLE)
                : new LastUse(Optional.of(used.lastUsedDate()), used.serviceName(), used.region());
    }

    @Override
    public boolean works(NewAccessKey key) {
        try (StsClient sts = stsSignedWith.apply(key.accessKeyId(), key.secretAccessKey())) {
            sts.getCallerIdentity();
            return true;
        } catch (AwsServiceException notYet) {
            // InvalidClientTokenId / SignatureDoesNotMatch until IAM has propagated the key
            if (notYet.statusCode() >= 500 || notYet.isThrottlingException()) {
                throw translate(notYet);
            }
            return false;
        } catch (SdkException e) {
            throw translate(e);
        }
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(e);
        }
    }

    static TokenRotatorException translate(SdkException e) {
        return AwsErrors.common("IAM", null, e).orElseGet(() -> {
            AwsServiceException s = (AwsServiceException) e;
            return new io.tokenrotator.errors.AwsRequestRejectedException("IAM", AwsErrors.code(s),
                    AwsErrors.message(s));
        });
    }
}
