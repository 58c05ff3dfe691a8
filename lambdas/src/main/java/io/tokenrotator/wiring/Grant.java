package io.tokenrotator.wiring;

import java.util.List;

/**
 * One permission a function has: IAM actions on a kind of resource, and why it needs them.
 *
 * @param actions   IAM action names, e.g. {@code cloudformation:UpdateStack}
 * @param resources what they act on
 * @param keyPrefix for {@link ResourceKind#RUN_OBJECTS}: the object key prefix (e.g. {@code runs/}); else null
 * @param why       the reason, shown in the README's permissions table and in cdk-nag acknowledgements
 */
public record Grant(List<String> actions, ResourceKind resources, String keyPrefix, String why) {
    public Grant {
        actions = List.copyOf(actions);
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a grant needs at least one action");
        }
        if ((resources == ResourceKind.RUN_OBJECTS) != (keyPrefix != null)) {
            throw new IllegalArgumentException("a key prefix goes with RUN_OBJECTS, and only with it");
        }
    }

    static Grant on(ResourceKind resources, String why, String... actions) {
        return new Grant(List.of(actions), resources, null, why);
    }

    static Grant objects(String keyPrefix, String why, String... actions) {
        return new Grant(List.of(actions), ResourceKind.RUN_OBJECTS, keyPrefix, why);
    }

    /** This grant without one action: itself if it does not have it, null when nothing is left. */
    Grant without(String action) {
        List<String> left = actions.stream().filter(a -> !a.equalsIgnoreCase(action)).toList();
        if (left.size() == actions.size()) {
            return this;
        }
        return left.isEmpty() ? null : new Grant(left, resources, keyPrefix, why);
    }
}
