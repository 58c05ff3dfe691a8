package io.tokenrotator.store;

import io.tokenrotator.aws.S3Errors;
import io.tokenrotator.json.Json;
import io.tokenrotator.port.StackLeases;
import io.tokenrotator.service.Hashes;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link StackLeases} as S3 objects {@code leases/<sha256 of the stack id>.json} in the run bucket, taken with S3
 * conditional writes: {@code If-None-Match: *} creates a lease only if none exists, {@code If-Match: <ETag>} renews
 * or takes over exactly the lease that was read; a lost race answers 412 PreconditionFailed (or 409
 * ConditionalRequestConflict) and is decided again (S3 user guide, "conditional writes"). Reading a lease that is
 * gone answers 404 only with s3:ListBucket on the bucket, 403 without: the functions that use leases have it.
 */
public final class S3StackLeases implements StackLeases {
    private static final int RACES = 5;
    private final S3Client s3;
    private final String bucket;
    private final Clock clock;

    /** The stored lease; {@code expiresAt} in ISO-8601. */
    record Lease(String stackId, String runId, String expiresAt) {
        Instant expiry() {
            return Instant.parse(expiresAt);
        }
    }

    private record Read(Lease lease, String etag) {}


    public S3StackLeases(S3Client s3, String bucket, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
    }

    static String key(String stackId) {
        return "leases/" + Hashes.sha256Hex(stackId, 64) + ".json";
    }

    @Override
    public Optional<Holder> acquire(String stackId, String runId, Duration timeToLive) {
        String body = Json.write(new Lease(stackId, runId, clock.instant().plus(timeToLive).toString()));
        for (int race = 0; race < RACES; race++) {
            if (put(stackId, body, null)) {
                return Optional.empty();
            }
            Optional<Read> current = read(stackId);
            if (current.isEmpty()) {
                continue; // released between our two calls: try to create it again
            }
            Lease held = current.get().lease();
            if (!held.runId().equals(runId) && clock.instant().isBefore(held.expiry())) {
                return Optional.of(new Holder(held.runId(), held.expiry()));
            }
            if (put(stackId, body, current.get().etag())) {
                return Optional.empty(); // renewed our own lease, or took over an expired one
            }
        }
        throw new IllegalStateException("the lease of stack " + stackId + " changed hands " + RACES + " times while"
                + " this run tried to take it");
    }

    @Override
    public void release(String stackId, String runId) {
        read(stackId).filter(r -> r.lease().runId().equals(runId))
                .ifPresent(r -> call(() -> s3.deleteObject(b -> b.bucket(bucket).key(key(stackId)))));
    }

    /** Writes the lease: a new one ({@code etag} null) or over exactly the version read. False when the race is lost. */
    private boolean put(String stackId, String body, String etag) {
        try {
            s3.putObject(r -> {
                r.bucket(bucket).key(key(stackId)).contentType("application/json");
                if (etag == null) {
                    r.ifNoneMatch("*");
                } else {
                    r.ifMatch(etag);
                }
            }, RequestBody.fromString(body));
            return true;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw S3Errors.translate(e);
        } catch (SdkException e) {
            throw S3Errors.translate(e);
        }
    }

    private Optional<Read> read(String stackId) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key(stackId)));
            return Optional.of(new Read(Json.MAPPER.readValue(bytes.asByteArray(), Lease.class), bytes.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw S3Errors.translate(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable lease " + key(stackId) + " in bucket " + bucket, e);
        }
    }

    private static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw S3Errors.translate(e);
        }
    }
}
