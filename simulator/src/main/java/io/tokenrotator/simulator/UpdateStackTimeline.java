package io.tokenrotator.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every UpdateStack request the simulator answered, counted per simulated second, to see which calls collide. Each
 * request is of one phase (from its ClientRequestToken: {@code tr-off-...} phase 1, {@code tr-on-...} or
 * {@code tr-set-...} phase 2) and one kind: the SDK's own retry (the SDK numbers its attempts in the
 * {@code amz-sdk-request} header, {@code attempt=2; max=3}), a repeat of a token seen before (the workflow trying the
 * same update again), or a first call. Each count has its throttled part.
 */
public final class UpdateStackTimeline {
    /** The categories counted, each as requests and throttled. */
    public enum Kind { ALL, PHASE1, PHASE2, FIRST_CALL, SDK_RETRY, WORKFLOW_REPEAT }

    /** One simulated second: per kind, {requests, throttled}. */
    public record Second(long epochSecond, int[][] counts) {
        public int requests(Kind kind) {
            return counts[kind.ordinal()][0];
        }

        public int throttled(Kind kind) {
            return counts[kind.ordinal()][1];
        }
    }

    private final Map<Long, int[][]> seconds = new TreeMap<>();
    private final Set<String> tokensSeen = new HashSet<>();

    synchronized void record(Instant now, String token, String sdkRequestHeader, boolean throttled) {
        int[][] c = seconds.computeIfAbsent(now.getEpochSecond(), s -> new int[Kind.values().length][2]);
        int t = throttled ? 1 : 0;
        Kind phase = token != null && token.startsWith("tr-off-") ? Kind.PHASE1 : Kind.PHASE2;
        Kind kind = sdkAttempt(sdkRequestHeader) > 1 ? Kind.SDK_RETRY
                : token != null && !tokensSeen.add(token) ? Kind.WORKFLOW_REPEAT : Kind.FIRST_CALL;
        for (Kind k : new Kind[] {Kind.ALL, phase, kind}) {
            c[k.ordinal()][0]++;
            c[k.ordinal()][1] += t;
        }
    }

    /** The attempt number in {@code amz-sdk-request: attempt=N; max=M}; 1 when absent. */
    static int sdkAttempt(String header) {
        if (header != null) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith("attempt=")) {
                    try {
                        return Integer.parseInt(p.substring("attempt=".length()).trim());
                    } catch (NumberFormatException e) {
                        return 1;
                    }
                }
            }
        }
        return 1;
    }

    /** The seconds with at least one request, in order. */
    public synchronized List<Second> seconds() {
        List<Second> out = new ArrayList<>(seconds.size());
        seconds.forEach((s, c) -> {
            int[][] copy = new int[c.length][];
            for (int i = 0; i < c.length; i++) {
                copy[i] = c[i].clone();
            }
            out.add(new Second(s, copy));
        });
        return out;
    }
}
