package io.tokenrotator.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * IAM users and their access keys, as the IAM API reference documents them, and who uses each key ({@link KeyUsage}:
 * consumer stacks' resources and outside users, for GetAccessKeyLastUsed and the lifecycle's invariants). Users pre-exist (tests and fleets create
 * them with {@link #createUser}); keys are created, listed, switched between Active and Inactive, deleted, and record
 * their last use. Only a new key's secret access key is ever returned, once, by {@link #createAccessKey}; it is not
 * kept (signatures are not verified, IAM "secret access key is accessible only during key and user creation":
 * CreateAccessKey API reference); the model remembers every secret it handed out only so that
 * tests and the verifier can prove none leaked ({@link #allSecretAccessKeysForLeakChecks}). Times come from the caller, so the model runs on any {@link SimClock}.
 */
public final class IamUsers {
    /** "Access keys assigned to an IAM user: 2" (IAM user guide, "IAM and AWS STS quotas"); inactive keys count. */
    public static final int ACCESS_KEYS_PER_USER = 2;
    /**
     * IAM is eventually consistent and AWS gives no figure ("changes ... take time to become visible", IAM user guide,
     * "Troubleshoot IAM: Changes that I make are not always immediately visible"); a tool calling DeleteAccessKey with
     * a key it had just created got InvalidClientTokenId (rhyeal/aws-rotate-iam-keys#81). A few seconds by default.
     */
    public static final Duration DEFAULT_PROPAGATION_DELAY = Duration.ofSeconds(5);
    /** GetAccessKeyLastUsed's ServiceName and Region for a key never used (AccessKeyLastUsed data type). */
    public static final String NOT_APPLICABLE = "N/A";

    // CreateUser / existingUserNameType: 1-128 characters of [\w+=,.@-]
    private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";

    public enum Status { Active, Inactive }

    /** A user: name, unique id (AIDA..., IAM user guide, "IAM identifiers"), ARN, and its identity policy. */
    public record User(String name, String userId, String arn, List<IamModel.Statement> statements) {
        public User {
            statements = List.copyOf(statements);
        }
    }

    /** What ListAccessKeys shows of a key: never its secret. */
    public record KeyMetadata(String userName, String accessKeyId, Status status, Instant createDate) {}

    /** CreateAccessKey's answer, the only place a secret access key appears. */
    public record NewKey(KeyMetadata metadata, String secretAccessKey) {
        @Override
        public String toString() {
            return "NewKey[" + metadata + ", secretAccessKey=****]";
        }
    }

    /** GetAccessKeyLastUsed: no date and "N/A" service and region for a key never used. */
    public record LastUsed(String userName, Optional<Instant> date, String serviceName, String region) {}

    /** One page of ListAccessKeys; {@code marker} is present exactly when the page is truncated. */
    public record Page(List<KeyMetadata> keys, Optional<String> marker) {}

    private static final class Key {
        final String id;
        final String userName;
        final Instant created;
        Status status = Status.Active;
        LastUsed lastUsed;

        Key(String id, String userName, Instant created) {
            this.id = id;
            this.userName = userName;
            this.created = created;
            this.lastUsed = new LastUsed(userName, Optional.empty(), NOT_APPLICABLE, NOT_APPLICABLE);
        }

        KeyMetadata metadata() {
            return new KeyMetadata(userName, id, status, created);
        }
    }

    private final String account;
    private final Duration propagationDelay;
    private final Random random = new Random(11);
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final KeyUsage usage = new KeyUsage();
    private final List<String> secretsHandedOut = new java.util.ArrayList<>();

    public IamUsers(String account, Duration propagationDelay) {
        if (propagationDelay.isNegative()) {
            throw new IllegalArgumentException("propagationDelay must be 0 or more, got " + propagationDelay);
        }
        this.account = account;
        this.propagationDelay = propagationDelay;
    }

    public Duration propagationDelay() {
        return propagationDelay;
    }

    public String userArn(String userName) {
        return "arn:aws:iam::" + account + ":user/" + userName;
    }

    public synchronized User createUser(String name, List<IamModel.Statement> statements) {
        requireUserName(name);
        if (users.containsKey(name)) {
            throw new AwsError("EntityAlreadyExists", "User with name " + name + " already exists.", 409);
        }
        User user = new User(name, "AIDA" + random(BASE32, 17), userArn(name), statements);
        users.put(name, user);
        return user;
    }

    public synchronized Optional<User> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    /** CreateAccessKey: a new Active key (CreateAccessKey API reference), at most two per user. */
    public synchronized NewKey createAccessKey(String userName, Instant now) {
        existingUser(userName);
        if (keys.values().stream().filter(k -> k.userName.equals(userName)).count() >= ACCESS_KEYS_PER_USER) {
            // the message AWS answers with (simonw/s3-credentials#64, bartekj/aws-tools#29); LimitExceeded is HTTP 409
            // (IAM service model, LimitExceededException)
            throw new AwsError("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: " + ACCESS_KEYS_PER_USER, 409);
        }
        String id;
        do {
            id = "AKIA" + random(BASE32, 16);
        } while (keys.containsKey(id));
        Key key = new Key(id, userName, now);
        keys.put(id, key);
        String secret = random(SECRET_CHARS, 40);
        secretsHandedOut.add(secret);
        return new NewKey(key.metadata(), secret);
    }

    /**
     * ListAccessKeys, oldest first. MaxItems is 1-1000, 100 when absent; the Marker is opaque and names where the
     * next page starts (ListAccessKeys API reference, maxItemsType and markerType).
     */
    public synchronized Page listAccessKeys(String userName, String marker, Integer maxItems) {
        int max = maxItems == null ? 100 : maxItems;
        if (max < 1) {
            throw constraint(String.valueOf(max), "maxItems", "Member must have value greater than or equal to 1");
        }
        if (max > 1000) {
            throw constraint(String.valueOf(max), "maxItems", "Member must have value less than or equal to 1000");
        }
        existingUser(userName);
        String after = marker == null ? "" : decodeMarker(marker);
        List<Key> mine = keys.values().stream().filter(k -> k.userName.equals(userName))
                .sorted(Comparator.comparing(IamUsers::orderKey))
                .filter(k -> orderKey(k).compareTo(after) > 0).toList();
        List<Key> page = mine.subList(0, Math.min(mine.size(), max));
        Optional<String> next = max < mine.size() ? Optional.of(encodeMarker(orderKey(page.get(page.size() - 1))))
                : Optional.empty();
        return new Page(page.stream().map(Key::metadata).toList(), next);
    }

    /**
     * UpdateAccessKey: Active or Inactive; a key of another user is not found under this one. Making a key in use
     * Inactive is accepted, as IAM does, and recorded as a violation (see {@link #violations()}).
     */
    public synchronized void updateAccessKey(String userName, String accessKeyId, String status, Instant now) {
        Status to;
        try {
            to = Status.valueOf(String.valueOf(status));
        } catch (IllegalArgumentException e) {
            throw constraint(status, "status", "Member must satisfy enum value set: [Active, Inactive]");
        }
        Key key = ownedKey(userName, accessKeyId);
        if (key.status == Status.Active && to == Status.Inactive) {
            usage.keyStopped(accessKeyId, "made Inactive", now);
        }
        key.status = to;
    }

    /** DeleteAccessKey; deleting a key in use is accepted and recorded as a violation. */
    public synchronized void deleteAccessKey(String userName, String accessKeyId, Instant now) {
        Key key = ownedKey(userName, accessKeyId);
        usage.keyStopped(accessKeyId, "deleted", now);
        keys.remove(key.id);
    }

    // ---------------------------------------------------------------- who uses a key (see KeyUsage)

    /**
     * Something outside the known stacks uses this key from now on, calling {@code service} in {@code region} (a
     * fault: an old script, another account's tool); GetAccessKeyLastUsed shows it as long as the key is Active.
     */
    public synchronized void addOutsideUser(String accessKeyId, String service, String region) {
        usage.add(new KeyUsage.User(outsideUser(service, region), accessKeyId, service, region));
    }

    /** The outside user stops using the key at {@code now}. */
    public synchronized void removeOutsideUser(String accessKeyId, String service, String region, Instant now) {
        usage.usersOf(accessKeyId).stream().filter(u -> u.name().equals(outsideUser(service, region)))
                .findFirst().ifPresent(u -> usage.remove(u.name(), now));
    }

    private static String outsideUser(String service, String region) {
        return "outside user (" + service + " in " + region + ")";
    }

    /** The secret access key of every key ever created, deleted ones included: for leak checks only. */
    public synchronized List<String> allSecretAccessKeysForLeakChecks() {
        return List.copyOf(secretsHandedOut);
    }

    /** How many access keys a user has now, Active and Inactive. */
    public synchronized int keyCount(String userName) {
        return (int) keys.values().stream().filter(k -> k.userName.equals(userName)).count();
    }

    /** Who uses the key now: {@code <stack>/<resource>} for consumers, "outside user (...)" for the others. */
    public synchronized List<String> usersOf(String accessKeyId) {
        return usage.usersOf(accessKeyId).stream().map(KeyUsage.User::name).toList();
    }

    /**
     * The invariant violations recorded so far, in order: a key made Inactive or deleted while used ("app-0001/Token
     * uses AKIA... which was made Inactive at ..."), a consumer created on a key that was Inactive or deleted.
     */
    public synchronized List<String> violations() {
        return usage.violations();
    }

    /** A stack's consumers of access keys are now {@code users} (by name); any other of its users stopped at {@code at}. */
    synchronized void stackUsers(String stack, Map<String, KeyUsage.User> users, Instant at) {
        usage.replaceStack(stack, users, at);
    }

    /** A resource was just created on this key: a violation unless the key exists and is Active. */
    synchronized void consumerCreated(String name, String accessKeyId, Instant at) {
        Key key = keys.get(accessKeyId);
        if (key == null) {
            usage.createdOnUnusableKey(name, accessKeyId, "deleted (or never existed)", at);
        } else if (key.status != Status.Active) {
            usage.createdOnUnusableKey(name, accessKeyId, "Inactive", at);
        }
    }

    /** The user a key belongs to, whatever its status: GetAccessKeyLastUsed authorizes against that user. */
    public synchronized Optional<String> owner(String accessKeyId) {
        return Optional.ofNullable(keys.get(accessKeyId)).map(k -> k.userName);
    }

    /**
     * GetAccessKeyLastUsed at {@code now}. Its API reference documents no error of its own; an unknown key is
     * answered like UpdateAccessKey's (NoSuchEntity), which is this model's choice. Besides the signed requests the
     * simulator saw, the key's consumers count ({@link KeyUsage}): an Active key with a user was used just now (by
     * that user's service, in its region); otherwise the latest of the last request and the moment its last user
     * stopped (or the key stopped working under it). AWS shows use "usually within 4 hours" (IAM user guide,
     * "Manage access keys"); the simulator shows it at once.
     */
    public synchronized LastUsed lastUsed(String accessKeyId, Instant now) {
        Key key = keys.get(accessKeyId);
        if (key == null) {
            throw noSuchKey(accessKeyId);
        }
        List<KeyUsage.User> using = usage.usersOf(accessKeyId);
        if (key.status == Status.Active && !using.isEmpty()) {
            KeyUsage.User user = using.get(0);
            return new LastUsed(key.userName, Optional.of(now), user.service(), user.region());
        }
        LastUsed requests = key.lastUsed;
        return usage.lastStopped(accessKeyId)
                .filter(s -> requests.date().map(d -> s.at().isAfter(d)).orElse(true))
                .map(s -> new LastUsed(key.userName, Optional.of(s.at()), s.service(), s.region()))
                .orElse(requests);
    }

    /**
     * The user a request signed with this key acts as: only an existing, Active key whose creation has propagated
     * ("Inactive" keys cannot be used for API calls: IAM user guide, "Manage access keys for IAM users").
     */
    public synchronized Optional<User> authenticate(String accessKeyId, Instant now) {
        Key key = keys.get(accessKeyId);
        if (key == null || key.status != Status.Active || now.isBefore(key.created.plus(propagationDelay))) {
            return Optional.empty();
        }
        return Optional.of(users.get(key.userName));
    }

    /** Records an authenticated request: its time, the service it was signed for and the region. */
    public synchronized void recordUse(String accessKeyId, String service, String region, Instant now) {
        Key key = keys.get(accessKeyId);
        if (key != null) {
            key.lastUsed = new LastUsed(key.userName, Optional.of(now), service, region);
        }
    }

    private Key ownedKey(String userName, String accessKeyId) {
        existingUser(userName);
        Key key = keys.get(accessKeyId);
        if (key == null || !key.userName.equals(userName)) {
            throw noSuchKey(accessKeyId);
        }
        return key;
    }

    private void existingUser(String userName) {
        requireUserName(userName);
        if (!users.containsKey(userName)) {
            throw new AwsError("NoSuchEntity", "The user with name " + userName + " cannot be found.", 404);
        }
    }

    private static void requireUserName(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw constraint(name, "userName", "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
    }

    private static AwsError noSuchKey(String accessKeyId) {
        return new AwsError("NoSuchEntity", "The Access Key with id " + accessKeyId + " cannot be found.", 404);
    }

    /** The AWS validation message format, e.g. "1 validation error detected: Value '0' at 'maxItems' failed ...". */
    private static AwsError constraint(String value, String member, String constraint) {
        return AwsError.validation("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }

    /** Oldest first; a marker stays valid when the key it names is deleted meanwhile. */
    private static String orderKey(Key k) {
        long nanos = k.created.getEpochSecond() * 1_000_000_000L + k.created.getNano();
        return String.format("%020d/%s", nanos, k.id);
    }

    private static String encodeMarker(String orderKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(orderKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeMarker(String marker) {
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AwsError.validation("Invalid Marker: " + marker);
        }
    }

    private String random(String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
