package io.tokenrotator.acceptance;

import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Every name one acceptance run creates, derived from its run id: all start with {@code tr-accept-<id>-} (stacks,
 * the functions and roles CloudFormation names after them) or {@code tr-accept-<id>/} (the secret), so Token
 * Rotator's {@code stackNamePrefix} confines it to this run and {@code --cleanup <id>} finds everything again.
 */
public record RunNames(String runId) {
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{8}");

    public RunNames {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id: expected 8 lowercase hex digits (as printed by a run), got '"
                    + runId + "'");
        }
    }

    public static RunNames random(RandomGenerator random) {
        byte[] bytes = new byte[4];
        random.nextBytes(bytes);
        return new RunNames(HexFormat.of().formatHex(bytes));
    }

    /** Token Rotator's stackNamePrefix for this run; every stack of the run starts with it. */
    public String prefix() {
        return "tr-accept-" + runId + "-";
    }

    /** The throwaway secret the consumers reference and Token Rotator watches. */
    public String secretName() {
        return "tr-accept-" + runId + "/token";
    }

    public String rotatorStack() {
        return prefix() + "rotator";
    }

    /** The consumers' CloudFormation service role and their functions' execution role. */
    public String baseStack() {
        return prefix() + "base";
    }

    public String consumerStack(Consumer consumer) {
        return prefix() + consumer.suffix();
    }
}
