package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** The states of an ASL document by name, the Map's child states included, in the order the document lists them. */
final class AslStates {
    private AslStates() {}

    static Map<String, JsonNode> of(JsonNode asl) {
        return collect(asl.path("States"), new LinkedHashMap<>());
    }

    private static Map<String, JsonNode> collect(JsonNode states, Map<String, JsonNode> into) {
        states.fields().forEachRemaining(e -> {
            into.put(e.getKey(), e.getValue());
            if (e.getValue().has("ItemProcessor")) {
                collect(e.getValue().path("ItemProcessor").path("States"), into);
            }
        });
        return into;
    }
}
