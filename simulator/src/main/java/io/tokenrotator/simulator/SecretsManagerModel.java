package io.tokenrotator.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Secrets with versions and staging labels, as Secrets Manager keeps them. A secret's ARN ends in '-' and six
 * random characters; DescribeSecret accepts a name, the full ARN or the ARN without that suffix.
 * <p>
 * A model made by {@link #replica} holds the replicas of this (primary) model's secrets in another region: same name,
 * the ARN with that region, the same version ids and staging labels, copied from the primary after a lag
 * (Secrets Manager user guide, "Replicate AWS Secrets Manager secrets across Regions": replication is asynchronous;
 * "You can't ... update a replica secret" directly: writes go to the primary). A secret may be shared with other
 * accounts ({@link #shareWith}: what its resource policy allows them), as a cross-account dynamic reference needs.
 */
public final class SecretsManagerModel {
    public static final String AWSCURRENT = "AWSCURRENT";
    public static final String AWSPENDING = "AWSPENDING";
    public static final String AWSPREVIOUS = "AWSPREVIOUS";

    /** A secret as DescribeSecret shows it: no values. */
    public record SecretView(String arn, String name, Map<String, List<String>> versionIdsToStages) {
        public String versionWithStage(String stage) {
            return versionIdsToStages.entrySet().stream()
                    .filter(e -> e.getValue().contains(stage))
                    .map(Map.Entry::getKey)
                    .findFirst().orElse(null);
        }
    }

    private static final class Secret {
        final String arn;
        final String name;
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, List<String>> stages = new LinkedHashMap<>();
        /** Its staging labels after each change, for replicas; only kept once replication started. */
        final List<Snapshot> history = new ArrayList<>();
        final java.util.Set<String> sharedWith = new java.util.HashSet<>();

        Secret(String arn, String name) {
            this.arn = arn;
            this.name = name;
        }
    }

    private record Snapshot(java.time.Instant at, Map<String, List<String>> stages) {}

    private final String region;
    private final String account;
    private final Map<String, Secret> byArn = new LinkedHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    /** The primary region's model when this model holds replicas; null for a primary. */
    private final SecretsManagerModel primary;
    private final java.time.Duration lag;
    /** Set once a replica exists: changes are then recorded with their time. */
    private SimClock clock;

    public SecretsManagerModel(String region, String account) {
        this(region, account, null, null, java.time.Duration.ZERO);
    }

    private SecretsManagerModel(String region, String account, SecretsManagerModel primary, SimClock clock,
                                java.time.Duration lag) {
        this.region = region;
        this.account = account;
        this.primary = primary;
        this.clock = clock;
        this.lag = lag;
    }

    public String region() {
        return region;
    }

    public String account() {
        return account;
    }

    /**
     * The replicas of this model's secrets in {@code replicaRegion}: each shows the primary's versions and labels as
     * they were {@code lag} ago on {@code clock} (a secret created less than {@code lag} ago is not there yet).
     */
    public synchronized SecretsManagerModel replica(String replicaRegion, SimClock clock, java.time.Duration lag) {
        if (primary != null) {
            throw new IllegalStateException("a replica cannot be replicated: replicate the primary");
        }
        if (replicaRegion.equals(region)) {
            throw new IllegalArgumentException("a replica must be in another region than the primary's " + region);
        }
        if (lag.isNegative()) {
            throw new IllegalArgumentException("replica lag must be 0 or more, got " + lag);
        }
        if (this.clock == null) {
            this.clock = clock;
            byArn.values().forEach(s -> s.history.add(new Snapshot(java.time.Instant.MIN, copyStages(s))));
        }
        return new SecretsManagerModel(replicaRegion, account, this, clock, lag);
    }

    /**
     * The secret as it is now was replicated long ago (a fleet's secret existed before its consumer stacks were
     * made): its replicas show it whatever their lag.
     */
    synchronized void replicatedLongAgo(String secretId) {
        Secret secret = require(secretId);
        if (!secret.history.isEmpty()) {
            Snapshot last = secret.history.get(secret.history.size() - 1);
            secret.history.clear();
            secret.history.add(new Snapshot(java.time.Instant.MIN, last.stages()));
        }
    }

    /** Whether this model holds replicas (its secrets are written through the primary). */
    public boolean isReplica() {
        return primary != null;
    }

    /** The secret's resource policy allows these accounts to read it (GetSecretValue, DescribeSecret). */
    public synchronized void shareWith(String secretId, java.util.Collection<String> accounts) {
        require(secretId).sharedWith.addAll(accounts);
    }

    /** Whether {@code callerAccount} may read the secret: its own account's, or shared with it. */
    public boolean readableBy(String secretId, String callerAccount) {
        if (account.equals(callerAccount)) {
            return true;
        }
        SecretsManagerModel owner = primary != null ? primary : this;
        synchronized (owner) {
            return owner.find(toPrimaryId(secretId)).map(s -> s.sharedWith.contains(callerAccount)).orElse(false);
        }
    }

    private String toPrimaryId(String secretId) {
        return secretId == null || primary == null ? secretId
                : secretId.replaceFirst("^(arn:[^:]+:secretsmanager:)" + java.util.regex.Pattern.quote(region) + ":",
                "$1" + primary.region + ":");
    }

    private static Map<String, List<String>> copyStages(Secret s) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        s.stages.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    private void recordChange(Secret s) {
        if (clock != null) {
            s.history.add(new Snapshot(clock.now(), copyStages(s)));
        }
    }

    /** A replica's view of a primary secret: its labels as of {@code lag} ago, in {@code replicaRegion}. */
    private synchronized Optional<SecretView> replicaView(String secretId, String replicaRegion,
                                                          java.time.Duration lag) {
        Optional<Secret> found = find(secretId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        java.time.Instant visible = clock.now().minus(lag);
        Snapshot seen = null;
        for (Snapshot snap : found.get().history) {
            if (!snap.at().isAfter(visible)) {
                seen = snap;
            }
        }
        if (seen == null) {
            return Optional.empty();
        }
        Map<String, List<String>> stages = new LinkedHashMap<>();
        seen.stages().forEach((k, v) -> { if (!v.isEmpty()) stages.put(k, List.copyOf(v)); });
        String arn = found.get().arn.replaceFirst("^(arn:[^:]+:secretsmanager:)[^:]*:", "$1" + replicaRegion + ":");
        return Optional.of(new SecretView(arn, found.get().name, stages));
    }

    /** Whether a replica that lags by {@code lag} holds the version (replicated with the labels that came with it). */
    private synchronized boolean replicaHas(String secretId, java.time.Duration lag, String versionId) {
        java.time.Instant visible = clock.now().minus(lag);
        return find(secretId).map(s -> s.history.stream()
                .anyMatch(snap -> !snap.at().isAfter(visible) && snap.stages().containsKey(versionId))).orElse(false);
    }

    private static AwsError replicaWrite() {
        return new AwsError("InvalidRequestException", "Operation is not permitted on a replica secret: make the"
                + " change in the primary Region.", 400);
    }

    /** Creates a secret whose first version is AWSCURRENT; returns its ARN. */
    public synchronized String createSecret(String name, String value) {
        return createSecret(name, value, suffix());
    }

    /**
     * CreateSecret with the ARN's six random characters chosen by the test (AWS draws them), so recorded events can
     * name the secret's real ARN.
     */
    public synchronized String createSecret(String name, String value, String arnSuffix) {
        if (primary != null) {
            throw replicaWrite();
        }
        if (!arnSuffix.matches("[A-Za-z0-9]{6}")) {
            throw new IllegalArgumentException("an ARN suffix is six letters or digits, got '" + arnSuffix + "'");
        }
        if (find(name).isPresent()) {
            throw new AwsError("ResourceExistsException", "The operation failed because the secret " + name
                    + " already exists.", 400);
        }
        String arn = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + arnSuffix;
        Secret secret = new Secret(arn, name);
        byArn.put(arn, secret);
        putVersion(secret, null, value, List.of(AWSCURRENT));
        recordChange(secret);
        return arn;
    }

    /** PutSecretValue: a new version, AWSCURRENT by default, or only the given stages (e.g. AWSPENDING). */
    public synchronized String putSecretValue(String secretId, String value, List<String> stages) {
        if (primary != null) {
            throw replicaWrite();
        }
        Secret secret = require(secretId);
        String versionId = putVersion(secret, null, value,
                stages == null || stages.isEmpty() ? List.of(AWSCURRENT) : stages);
        recordChange(secret);
        return versionId;
    }

    /** PutSecretValue's answer: never the value (PutSecretValue API reference, Response Syntax). */
    public record PutResult(String arn, String name, String versionId, List<String> versionStages) {}

    /**
     * PutSecretValue as the API reference describes it: ClientRequestToken (32-64 characters) becomes the new
     * version's id; a token that already names a version with the same SecretString is ignored (idempotent) and
     * answers that version; with a different value it fails, "you cannot modify an existing secret version"
     * (ResourceExistsException). Without VersionStages, AWSCURRENT moves to the new version and the version it left
     * becomes AWSPREVIOUS. SecretBinary is not modelled: a request without SecretString is refused. A null token is
     * what only a raw HTTP caller sends (the SDKs generate one): the simulator then draws a version id itself.
     */
    public synchronized PutResult putSecretValue(String secretId, String clientRequestToken, String value,
                                                 List<String> stages) {
        if (clientRequestToken != null && (clientRequestToken.length() < 32 || clientRequestToken.length() > 64)) {
            throw new AwsError("InvalidParameterException", "1 validation error detected: Value at"
                    + " 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64",
                    400);
        }
        if (value == null) {
            throw new AwsError("InvalidParameterException", "You must provide either SecretString or SecretBinary.",
                    400);
        }
        if (primary != null) {
            throw replicaWrite();
        }
        Secret secret = require(secretId);
        String existing = clientRequestToken == null ? null : secret.values.get(clientRequestToken);
        if (existing != null) {
            if (!existing.equals(value)) {
                throw new AwsError("ResourceExistsException", "You can't modify an existing version, you can only"
                        + " create a new version.", 400);
            }
            return new PutResult(secret.arn, secret.name, clientRequestToken,
                    List.copyOf(secret.stages.get(clientRequestToken)));
        }
        String versionId = putVersion(secret, clientRequestToken, value,
                stages == null || stages.isEmpty() ? List.of(AWSCURRENT) : stages);
        recordChange(secret);
        return new PutResult(secret.arn, secret.name, versionId, List.copyOf(secret.stages.get(versionId)));
    }

    /** UpdateSecretVersionStage: moves AWSCURRENT to a version (as a rotation's finishSecret step does). */
    public synchronized void promote(String secretId, String versionId) {
        if (primary != null) {
            throw replicaWrite();
        }
        Secret secret = require(secretId);
        if (!secret.values.containsKey(versionId)) {
            throw new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret version.", 400);
        }
        moveStage(secret, AWSCURRENT, versionId);
        secret.stages.get(versionId).remove(AWSPENDING);
        recordChange(secret);
    }

    public Optional<SecretView> describe(String secretId) {
        if (primary != null) {
            return primary.replicaView(toPrimaryId(secretId), region, lag);
        }
        return describePrimary(secretId);
    }

    private synchronized Optional<SecretView> describePrimary(String secretId) {
        return find(secretId).map(s -> {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            s.stages.forEach((k, v) -> { if (!v.isEmpty()) copy.put(k, List.copyOf(v)); });
            return new SecretView(s.arn, s.name, copy);
        });
    }

    public SecretView describeOrThrow(String secretId) {
        return describe(secretId).orElseThrow(SecretsManagerModel::notFound);
    }

    /** The value a dynamic reference resolves to; simulator internal, never served over the wire. */
    synchronized Optional<String> resolveVersion(String secretId, String stage, String versionId) {
        if (primary != null) {
            Optional<SecretView> view = describe(secretId);
            if (view.isEmpty()) {
                return Optional.empty();
            }
            if (versionId != null && !versionId.isEmpty()) {
                return primary.replicaHas(toPrimaryId(secretId), lag, versionId) ? Optional.of(versionId)
                        : Optional.empty();
            }
            return Optional.ofNullable(view.get().versionWithStage(stage == null || stage.isEmpty() ? AWSCURRENT : stage));
        }
        Optional<Secret> secret = find(secretId);
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        if (versionId != null && !versionId.isEmpty()) {
            return secret.get().values.containsKey(versionId) ? Optional.of(versionId) : Optional.empty();
        }
        String wanted = stage == null || stage.isEmpty() ? AWSCURRENT : stage;
        return secret.get().stages.entrySet().stream()
                .filter(e -> e.getValue().contains(wanted)).map(Map.Entry::getKey).findFirst();
    }

    /**
     * The value of a version, whichever secret holds it (version ids are unique in this model); simulator internal:
     * the consumers' key usage reads which access key a resolved version holds.
     */
    synchronized Optional<String> valueOfVersion(String versionId) {
        if (primary != null) {
            return primary.valueOfVersion(versionId);
        }
        return byArn.values().stream().map(s -> s.values.get(versionId)).filter(java.util.Objects::nonNull).findFirst();
    }

    /**
     * {@code versionId} and every version of the secret created after it: what a stack rotated during a run may
     * resolve when the secret changes again while the run goes on.
     */
    public synchronized List<String> versionsSince(String secretId, String versionId) {
        if (primary != null) {
            return primary.versionsSince(toPrimaryId(secretId), versionId);
        }
        List<String> versions = new ArrayList<>(require(secretId).values.keySet());
        int from = versions.indexOf(versionId);
        return from < 0 ? List.of() : List.copyOf(versions.subList(from, versions.size()));
    }

    /**
     * Every secret value the simulator holds, so tests can prove none of them leaked into any output; for a value
     * that is an access key as JSON, also its {@code secretAccessKey} alone (the key id is not secret).
     */
    public synchronized List<String> allValuesForLeakChecks() {
        if (primary != null) {
            return primary.allValuesForLeakChecks();
        }
        List<String> all = new ArrayList<>();
        byArn.values().forEach(s -> all.addAll(s.values.values()));
        for (String value : List.copyOf(all)) {
            try {
                com.fasterxml.jackson.databind.JsonNode secret = LEAK_JSON.readTree(value).get("secretAccessKey");
                if (secret != null && secret.isTextual() && !secret.asText().isEmpty()) {
                    all.add(secret.asText());
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                // a plain value: checked as a whole
            }
        }
        return all;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper LEAK_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private String putVersion(Secret secret, String token, String value, List<String> stages) {
        String versionId = token != null ? token
                : String.format("00000000-0000-4000-8000-%012d", counter.incrementAndGet());
        secret.values.put(versionId, value);
        secret.stages.put(versionId, new ArrayList<>());
        for (String stage : stages) {
            if (AWSCURRENT.equals(stage)) {
                moveStage(secret, AWSCURRENT, versionId);
            } else {
                secret.stages.values().forEach(l -> l.remove(stage));
                secret.stages.get(versionId).add(stage);
            }
        }
        return versionId;
    }

    private static void moveStage(Secret secret, String stage, String versionId) {
        String previous = null;
        for (Map.Entry<String, List<String>> e : secret.stages.entrySet()) {
            if (e.getValue().remove(stage)) {
                previous = e.getKey();
            }
        }
        secret.stages.get(versionId).add(stage);
        if (AWSCURRENT.equals(stage) && previous != null && !previous.equals(versionId)) {
            secret.stages.values().forEach(l -> l.remove(AWSPREVIOUS));
            secret.stages.get(previous).add(AWSPREVIOUS);
        }
    }

    private Optional<Secret> find(String secretId) {
        if (secretId == null) {
            return Optional.empty();
        }
        for (Secret s : byArn.values()) {
            String partial = s.arn.substring(0, s.arn.length() - 7);
            if (s.arn.equals(secretId) || s.name.equals(secretId) || partial.equals(secretId)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private Secret require(String secretId) {
        return find(secretId).orElseThrow(SecretsManagerModel::notFound);
    }

    private static AwsError notFound() {
        return new AwsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.", 400);
    }

    private String suffix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        int n = Math.abs((counter.incrementAndGet() * 7919 + 104729) * 31);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append(alphabet.charAt(n % alphabet.length()));
            n = n / alphabet.length() + 17 * (i + 3);
        }
        return sb.toString();
    }
}
