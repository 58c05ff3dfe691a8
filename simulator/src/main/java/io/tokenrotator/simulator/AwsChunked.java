package io.tokenrotator.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} request body, as the AWS SDKs send uploads (SigV4 streaming, S3 user guide
 * "Signature Calculations for the Authorization Header: Transferring Payload in Multiple Chunks"): chunks of
 * {@code <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n}, a zero-size chunk, then trailing headers such as
 * {@code x-amz-checksum-crc32:<base64>} (and {@code x-amz-trailer-signature}), and a blank line. Chunk signatures
 * are not verified.
 */
final class AwsChunked {
    /** The payload and the trailing headers, names in lower case. */
    record Decoded(byte[] payload, Map<String, String> trailers) {}

    private AwsChunked() {}

    static Decoded decode(byte[] body) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrlf(body, at);
            String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size;
            try {
                size = Integer.parseInt(header.split(";", 2)[0].trim(), 16);
            } catch (NumberFormatException e) {
                throw new AwsError("IncompleteBody", "The request body terminated unexpectedly", 400);
            }
            at = lineEnd + 2;
            if (size == 0) {
                break;
            }
            if (at + size + 2 > body.length) {
                throw new AwsError("IncompleteBody", "The request body terminated unexpectedly", 400);
            }
            payload.write(body, at, size);
            at += size + 2; // the chunk's own CRLF
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        while (at < body.length) {
            int lineEnd = indexOfCrlf(body, at);
            String line = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            at = lineEnd + 2;
            int colon = line.indexOf(':');
            if (colon > 0) {
                trailers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return new Decoded(payload.toByteArray(), trailers);
    }

    private static int indexOfCrlf(byte[] body, int from) {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        return body.length;
    }
}
