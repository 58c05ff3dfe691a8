package io.tokenrotator.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who uses which access key, continuously: a consumer (a live stack resource whose dynamic reference resolved a
 * secret version holding the key, named {@code <stack>/<resource>}) or an outside user added on demand. It answers
 * the consumers' part of GetAccessKeyLastUsed (now, while an Active key has a user; else when its last user stopped
 * or the key stopped working) and records the invariant violations the lifecycle must never cause: a key made
 * Inactive or deleted while something uses it (IAM accepts the call; the consumer would break), and a resource
 * created on a key that is already Inactive or deleted. Not thread-safe: {@link IamUsers} guards it with its lock.
 */
final class KeyUsage {
    /** One user of a key: who, and the service and region GetAccessKeyLastUsed shows for its calls. */
    record User(String name, String accessKeyId, String service, String region) {}

    /** When a key was last used by a consumer that no longer uses it (or since it stopped working). */
    record Stopped(Instant at, String service, String region) {}

    private final Map<String, User> users = new LinkedHashMap<>();
    /** The names of each stack's users, so that a stack's update touches only its own. */
    private final Map<String, Set<String>> byStack = new HashMap<>();
    private final Map<String, Stopped> stopped = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();

    /** The users of one stack are now exactly {@code now} (by name); the others stopped at {@code at}. */
    void replaceStack(String stack, Map<String, User> now, Instant at) {
        Set<String> before = byStack.getOrDefault(stack, Set.of());
        if (before.isEmpty() && now.isEmpty()) {
            return;
        }
        before.stream().filter(n -> !now.containsKey(n)).toList().forEach(n -> stop(n, at));
        byStack.put(stack, new HashSet<>(now.keySet()));
        now.forEach((name, user) -> {
            User previous = users.get(name);
            if (previous != null && !previous.accessKeyId().equals(user.accessKeyId())) {
                stop(name, at);
            }
            users.put(name, user);
        });
    }

    void add(User user) {
        users.put(user.name(), user);
    }

    void remove(String name, Instant at) {
        stop(name, at);
    }

    private void stop(String name, Instant at) {
        User user = users.remove(name);
        if (user != null) {
            stopped.merge(user.accessKeyId(), new Stopped(at, user.service(), user.region()),
                    (a, b) -> b.at().isAfter(a.at()) ? b : a);
        }
    }

    List<User> usersOf(String accessKeyId) {
        return users.values().stream().filter(u -> u.accessKeyId().equals(accessKeyId)).toList();
    }

    /** The key stopped working at {@code at} (made Inactive or deleted): each user that uses it is a violation. */
    void keyStopped(String accessKeyId, String how, Instant at) {
        List<User> using = usersOf(accessKeyId);
        using.forEach(u -> violations.add(u.name() + " uses " + accessKeyId + " which was " + how + " at " + at));
        using.stream().findFirst().ifPresent(u -> stopped.merge(accessKeyId, new Stopped(at, u.service(), u.region()),
                (a, b) -> b.at().isAfter(a.at()) ? b : a));
    }

    /** A consumer was just created on a key that is not usable (Inactive, or no longer exists). */
    void createdOnUnusableKey(String name, String accessKeyId, String state, Instant at) {
        violations.add(name + " was created with " + accessKeyId + " which was " + state + " at " + at);
    }

    Optional<Stopped> lastStopped(String accessKeyId) {
        return Optional.ofNullable(stopped.get(accessKeyId));
    }

    List<String> violations() {
        return List.copyOf(violations);
    }
}
