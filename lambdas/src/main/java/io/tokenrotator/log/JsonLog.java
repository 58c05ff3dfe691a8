package io.tokenrotator.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotator.json.Json;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * One JSON object a line, as CloudWatch Logs Insights reads them: level, message, the invocation the line was
 * written in (requestId, function), and the fields that say what happened to which stack (stack, phase, outcome).
 * Callers pass names, ids, statuses and outcomes: never a secret value (the code never has one to pass).
 */
public final class JsonLog {
    /** The contracts' mapper: one Jackson set-up per cold start, not one per use. */
    private static final ObjectMapper JSON = Json.MAPPER;
    /**
     * The invocation the current thread serves, like a logging framework's MDC: set only by {@link #during} and
     * restored when it returns, so it never outlives the invocation or leaks to another thread's lines.
     */
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();
    private final PrintStream out;

    /** The Lambda invocation a line belongs to: its request id and the function's name. */
    public record Invocation(String requestId, String function) {}

    public JsonLog(PrintStream out) {
        this.out = out;
    }

    public static JsonLog stdout() {
        return new JsonLog(System.out);
    }

    /** Runs {@code work} with every line this thread logs meanwhile carrying {@code invocation}'s fields. */
    public static <T> T during(Invocation invocation, Supplier<T> work) {
        Invocation outer = CURRENT.get();
        CURRENT.set(invocation);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** Logs {@code message} with alternating key/value pairs. */
    public void info(String message, Object... keyValues) {
        write("INFO", message, keyValues);
    }

    private void write(String level, String message, Object... keyValues) {
        ObjectNode line = JSON.createObjectNode().put("level", level).put("message", message);
        Invocation invocation = CURRENT.get();
        if (invocation != null) {
            line.put("requestId", invocation.requestId()).put("function", invocation.function());
        }
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            if (v != null) {
                line.set(String.valueOf(keyValues[i]), JSON.valueToTree(v));
            }
        }
        out.println(line);
    }
}
