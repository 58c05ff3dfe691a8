package io.tokenrotator.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;

/**
 * One JSON object a line, as CloudWatch Logs Insights reads them: level, message, and the fields that say what
 * happened to which stack (stack, phase, outcome). Callers pass names, ids, statuses and outcomes: never a secret
 * value (the code never has one to pass).
 */
public final class JsonLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;

    public JsonLog(PrintStream out) {
        this.out = out;
    }

    public static JsonLog stdout() {
        return new JsonLog(System.out);
    }

    /** Logs {@code message} with alternating key/value pairs. */
    public void info(String message, Object... keyValues) {
        write("INFO", message, keyValues);
    }

    private void write(String level, String message, Object... keyValues) {
        ObjectNode line = JSON.createObjectNode().put("level", level).put("message", message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            if (v != null) {
                line.set(String.valueOf(keyValues[i]), JSON.valueToTree(v));
            }
        }
        out.println(line);
    }
}
