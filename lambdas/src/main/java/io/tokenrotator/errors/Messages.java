package io.tokenrotator.errors;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Values shown in error messages, kept short whatever was sent: at most {@value #QUOTE_LIMIT} characters of a bad
 * value, then its full length. Step Functions keeps at most 32,768 characters of an error's cause
 * (TaskFailedEventDetails.cause, length 0-32768: Step Functions API reference).
 */
public final class Messages {
    public static final int QUOTE_LIMIT = 100;

    private Messages() {}

    /** A string value, JSON-quoted and escaped: {@code "abc"}, or {@code "abc..." (300000 characters)}. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(cut(value, QUOTE_LIMIT))) + "\""
                + length(value, QUOTE_LIMIT);
    }

    /** A token as written (a number, a field name): {@code 123}, or {@code 111... (500 characters)}. */
    public static String shorten(String text) {
        return shorten(text, QUOTE_LIMIT);
    }

    public static String shorten(String text, int limit) {
        return text == null ? null : cut(text, limit) + length(text, limit);
    }

    /** At most {@code limit} characters, never half a surrogate pair, "..." when cut. */
    private static String cut(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
        return text.substring(0, end) + "...";
    }

    private static String length(String text, int limit) {
        return text.length() <= limit ? "" : " (" + text.length() + " characters)";
    }
}
