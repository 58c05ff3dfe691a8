package io.tokenrotator.simulator;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Buckets and objects, and the one rule both the S3 endpoint and CloudFormation's TemplateURL fetch follow when
 * someone reads an object: IAM first, then existence, where a missing key is 404 NoSuchKey only for a caller who
 * may also list the bucket and 403 AccessDenied for everyone else (GetObject API reference, Permissions).
 */
public final class S3Model {
    /** A stored object: its bytes, content type, ETag (quoted MD5 hex) and the CRC32 checksum it was sent with. */
    public record StoredObject(byte[] body, String contentType, String etag, String checksumCrc32, Instant lastModified) {}

    private final SimClock clock;
    private final Map<String, TreeMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();

    public S3Model(SimClock clock) {
        this.clock = clock;
    }

    public void createBucket(String name) {
        buckets.putIfAbsent(name, new TreeMap<>());
    }

    public boolean bucketExists(String name) {
        return buckets.containsKey(name);
    }

    public static String arn(String bucket, String key) {
        return "arn:aws:s3:::" + bucket + (key == null ? "" : "/" + key);
    }

    /** PutObject as {@code caller}. */
    public StoredObject put(IamModel.Principal caller, String bucket, String key, byte[] body, String contentType,
                            String checksumCrc32) {
        return put(caller, bucket, key, body, contentType, checksumCrc32, null, null);
    }

    /**
     * PutObject with S3's conditional writes (S3 user guide, "Add preconditions to S3 operations with conditional
     * requests"): {@code If-None-Match: *} writes only if no object has the key, {@code If-Match: <ETag>} only over
     * that very object; otherwise 412 PreconditionFailed, and If-Match on a key that does not exist is 404 NoSuchKey.
     */
    public StoredObject put(IamModel.Principal caller, String bucket, String key, byte[] body, String contentType,
                            String checksumCrc32, String ifNoneMatch, String ifMatch) {
        authorize(caller, "s3:PutObject", arn(bucket, key));
        TreeMap<String, StoredObject> objects = bucket(bucket);
        StoredObject stored = new StoredObject(body.clone(), contentType, "\"" + md5(body) + "\"", checksumCrc32,
                clock.now());
        synchronized (objects) {
            StoredObject current = objects.get(key);
            if (ifNoneMatch != null && !"*".equals(ifNoneMatch)) {
                throw new AwsError("NotImplemented", "A header you provided implies functionality that is not"
                        + " implemented", 501); // If-None-Match takes only '*' on PutObject
            }
            if (ifNoneMatch != null && current != null || ifMatch != null && current != null
                    && !current.etag().equals(ifMatch)) {
                throw new AwsError("PreconditionFailed", "At least one of the pre-conditions you specified did not"
                        + " hold", 412);
            }
            if (ifMatch != null && current == null) {
                throw new AwsError("NoSuchKey", "The specified key does not exist.", 404);
            }
            objects.put(key, stored);
        }
        return stored;
    }

    /** DeleteObject as {@code caller}: 204 whether or not the key existed. */
    public void delete(IamModel.Principal caller, String bucket, String key) {
        authorize(caller, "s3:DeleteObject", arn(bucket, key));
        TreeMap<String, StoredObject> objects = bucket(bucket);
        synchronized (objects) {
            objects.remove(key);
        }
    }

    /** GetObject (and HeadObject, which needs the same permission) as {@code caller}. */
    public StoredObject get(IamModel.Principal caller, String bucket, String key) {
        authorize(caller, "s3:GetObject", arn(bucket, key));
        TreeMap<String, StoredObject> objects = bucket(bucket);
        StoredObject found;
        synchronized (objects) {
            found = objects.get(key);
        }
        if (found == null) {
            if (!caller.allows("s3:ListBucket", arn(bucket, null))) {
                throw new AwsError("AccessDenied", "Access Denied", 403);
            }
            throw new AwsError("NoSuchKey", "The specified key does not exist.", 404);
        }
        return found;
    }

    /** ListObjectsV2 as {@code caller}: keys under the prefix after {@code startAfter}, in UTF-8 binary order. */
    public List<Map.Entry<String, StoredObject>> list(IamModel.Principal caller, String bucket, String prefix,
                                                      String startAfter, int maxKeys) {
        authorize(caller, "s3:ListBucket", arn(bucket, null));
        TreeMap<String, StoredObject> objects = bucket(bucket);
        String from = prefix == null ? "" : prefix;
        synchronized (objects) {
            var tail = startAfter != null && startAfter.compareTo(from) >= 0 ? objects.tailMap(startAfter, false)
                    : objects.tailMap(from, true);
            return tail.entrySet().stream().takeWhile(e -> e.getKey().startsWith(from)).limit(maxKeys)
                    .map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        }
    }

    /** What a test may inspect, bypassing IAM. */
    public Optional<StoredObject> inspect(String bucket, String key) {
        TreeMap<String, StoredObject> objects = buckets.get(bucket);
        if (objects == null) {
            return Optional.empty();
        }
        synchronized (objects) {
            return Optional.ofNullable(objects.get(key));
        }
    }

    private TreeMap<String, StoredObject> bucket(String name) {
        TreeMap<String, StoredObject> objects = buckets.get(name);
        if (objects == null) {
            throw new AwsError("NoSuchBucket", "The specified bucket does not exist", 404);
        }
        return objects;
    }

    private static void authorize(IamModel.Principal caller, String action, String resource) {
        try {
            caller.require(action, resource);
        } catch (IamModel.Denied denied) {
            throw new AwsError("AccessDenied", denied.s3Message(), 403);
        }
    }

    private static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
