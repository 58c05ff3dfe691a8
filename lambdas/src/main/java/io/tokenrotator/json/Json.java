package io.tokenrotator.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.errors.Messages;
import io.tokenrotator.service.InputRules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The JSON mapping of every contract. Strict, so that a malformed execution input fails at once with a message
 * naming the field instead of doing something else: unknown fields, repeated fields, trailing data, a null or
 * empty body and nulls for primitives are errors; no scalar is coerced (2.7 is not an integer, "3" is not a number,
 * 1 is not a boolean, 0 is not an enum constant). Jackson's exceptions become {@link InvalidInputException}s that
 * name the field's JSON path and what it accepts ({@link InputRules#accepted}), and quote at most 100 characters of
 * the bad value: a Step Functions error cause holds at most 32,768 characters.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {}

    /** Reads one JSON object as {@code type}; anything else is an {@link InvalidInputException}. */
    public static <T> T read(InputStream in, Class<T> type) {
        try (JsonParser parser = MAPPER.createParser(in.readAllBytes())) {
            return read(parser, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Translates Jackson's exceptions while the parser still stands at the bad token. */
    private static <T> T read(JsonParser parser, Class<T> type) throws IOException {
        try {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidInputException("input", "expected a JSON object, got "
                        + (first == null ? "nothing" : got(parser)));
            }
            return MAPPER.readValue(parser, type);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(path(e), "is not a known field; expected one of " + known(e));
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty() && e.getMessage().startsWith("Trailing token")) {
                throw new InvalidInputException("input", "expected a single JSON object, got more JSON after it");
            }
            throw mismatch(e, e.getTargetType());
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonParseException notJson) {
                throw notJson(notJson, parser); // a parse error met while binding a field
            }
            throw mismatch(e, null); // a number too large for its field
        } catch (JsonProcessingException e) {
            throw notJson(e, parser);
        }
    }

    private static InvalidInputException notJson(JsonProcessingException e, JsonParser parser) {
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        return new InvalidInputException("input", "is not valid JSON (line " + at.getLineNr() + ", column "
                + at.getColumnNr() + "): " + firstSentence(e.getOriginalMessage()));
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("contract records always serialize", e);
        }
    }

    /** "expected <what the field accepts>, got <the token the parser stopped at>". */
    private static InvalidInputException mismatch(JsonMappingException e, Class<?> target) {
        String path = path(e);
        String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
        String accepted = field == null ? null : InputRules.accepted(field);
        if (accepted == null) {
            accepted = describe(target);
        }
        return new InvalidInputException(path, "expected " + accepted + ", got "
                + (e.getProcessor() instanceof JsonParser p ? got(p) : "another type"));
    }

    /** The current token, as it was written: a string quoted, a number or literal as is, a structure by kind. */
    private static String got(JsonParser parser) {
        try {
            JsonToken token = parser.currentToken();
            if (token == null) {
                return "nothing";
            }
            return switch (token) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> Messages.quote(parser.getText());
                default -> Messages.shorten(parser.getText());
            };
        } catch (IOException e) {
            return "an unreadable value";
        }
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "a JSON object";
    }

    private static String known(UnrecognizedPropertyException e) {
        return e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    /** The field's JSON path ({@code request.maxConcurrency}, {@code stacks[2].stackId}); "input" for the body. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(Messages.shorten(ref.getFieldName()));
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "input" : sb.toString();
    }

    /** Jackson's parse message up to its first ':' or line break (the rest is advice for Jackson's own users). */
    private static String firstSentence(String message) {
        String m = String.valueOf(message);
        int end = m.length();
        for (String stop : new String[] {": ", "\n"}) {
            int at = m.indexOf(stop);
            if (at > 0 && at < end) {
                end = at;
            }
        }
        return Messages.shorten(m.substring(0, end));
    }
}
