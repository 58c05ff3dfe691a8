package io.tokenrotator.wiring;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The grants each function has: {@link #declared()} as {@link RotatorFunction} declares them, or with an action
 * taken away, so a test can show that a local run fails without it.
 */
public final class Permissions {
    private final Map<RotatorFunction, List<Grant>> grants;

    private Permissions(Map<RotatorFunction, List<Grant>> grants) {
        this.grants = grants;
    }

    public static Permissions declared() {
        Map<RotatorFunction, List<Grant>> all = new EnumMap<>(RotatorFunction.class);
        for (RotatorFunction f : RotatorFunction.values()) {
            all.put(f, f.grants());
        }
        return new Permissions(all);
    }

    /** These permissions less one action of one function; refuses an action the function does not have. */
    public Permissions without(RotatorFunction function, String action) {
        return without(function, action, null);
    }

    /** Like {@link #without(RotatorFunction, String)}, only on run-bucket objects under {@code keyPrefix}. */
    public Permissions without(RotatorFunction function, String action, String keyPrefix) {
        List<Grant> kept = new ArrayList<>();
        boolean removed = false;
        for (Grant g : of(function)) {
            Grant less = keyPrefix == null || keyPrefix.equals(g.keyPrefix()) ? g.without(action) : g;
            removed |= less != g;
            if (less != null) {
                kept.add(less);
            }
        }
        if (!removed) {
            throw new IllegalArgumentException(function.id() + " has no grant of " + action);
        }
        Map<RotatorFunction, List<Grant>> copy = new EnumMap<>(grants);
        copy.put(function, List.copyOf(kept));
        return new Permissions(copy);
    }

    public List<Grant> of(RotatorFunction function) {
        return Objects.requireNonNull(grants.get(function));
    }
}
