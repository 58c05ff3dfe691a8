package io.tokenrotator.simulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;

import static io.tokenrotator.simulator.Xml.element;

/**
 * S3's REST API, path-style ({@code /<bucket>/<key>}), for the calls Token Rotator makes: PutObject (plain or
 * {@code aws-chunked} with a trailing CRC32 checksum, which S3 verifies), GetObject and HeadObject (returning the
 * stored checksum when the caller sends {@code x-amz-checksum-mode: ENABLED}), ListObjectsV2, DeleteObject, and
 * conditional PutObject ({@code If-None-Match: *}, {@code If-Match: <ETag>}). Errors are S3's
 * XML {@code <Error>} documents; HEAD errors have no body, as in S3.
 */
final class S3Endpoint {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_KEYS = 1000;

    private final S3Model s3;

    S3Endpoint(S3Model s3) {
        this.s3 = s3;
    }

    /** The operation name a request maps to, for call counts and rate limits. */
    static String operation(HttpExchange ex) {
        String[] path = bucketAndKey(ex);
        return switch (ex.getRequestMethod()) {
            case "PUT" -> "PutObject";
            case "DELETE" -> "DeleteObject";
            case "HEAD" -> "HeadObject";
            case "GET" -> path[1] == null ? "ListObjectsV2" : "GetObject";
            default -> ex.getRequestMethod();
        };
    }

    void handle(HttpExchange ex, byte[] body, Optional<IamModel.Principal> caller) throws IOException {
        String[] path = bucketAndKey(ex);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        try {
            IamModel.Principal principal = caller.orElseThrow(() -> new AwsError("InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.", 403));
            switch (operation(ex)) {
                case "PutObject" -> put(ex, principal, path[0], path[1], body);
                case "GetObject", "HeadObject" -> get(ex, principal, path[0], path[1], head);
                case "ListObjectsV2" -> list(ex, principal, path[0], query(ex));
                case "DeleteObject" -> {
                    s3.delete(principal, path[0], path[1]);
                    send(ex, 204, Map.of(), null);
                }
                default -> throw new AwsError("MethodNotAllowed",
                        "The specified method is not allowed against this resource.", 405);
            }
        } catch (AwsError e) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>" + element("Code", e.code())
                    + element("Message", e.getMessage()) + (path[1] == null ? "" : element("Key", path[1]))
                    + element("RequestId", UUID.randomUUID().toString()) + "</Error>";
            send(ex, e.httpStatus(), Map.of("Content-Type", "application/xml"), head ? null : xml.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void put(HttpExchange ex, IamModel.Principal caller, String bucket, String key, byte[] body)
            throws IOException {
        String encoding = header(ex, "Content-Encoding");
        String sha = header(ex, "x-amz-content-sha256");
        boolean chunked = encoding != null && encoding.contains("aws-chunked") || sha != null && sha.startsWith("STREAMING-");
        byte[] payload = body;
        String checksum = header(ex, "x-amz-checksum-crc32");
        if (chunked) {
            AwsChunked.Decoded decoded = AwsChunked.decode(body);
            payload = decoded.payload();
            String declared = header(ex, "x-amz-decoded-content-length");
            if (declared != null && Long.parseLong(declared) != payload.length) {
                throw new AwsError("IncompleteBody", "You did not provide the number of bytes specified by the"
                        + " Content-Length HTTP header", 400);
            }
            checksum = decoded.trailers().getOrDefault("x-amz-checksum-crc32", checksum);
        }
        if (checksum != null && !checksum.equals(crc32(payload))) {
            throw new AwsError("BadDigest", "The CRC32 you specified did not match the calculated checksum.", 400);
        }
        S3Model.StoredObject stored = s3.put(caller, bucket, key, payload, header(ex, "Content-Type"), checksum,
                header(ex, "If-None-Match"), header(ex, "If-Match"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", stored.etag());
        if (checksum != null) {
            headers.put("x-amz-checksum-crc32", checksum);
        }
        send(ex, 200, headers, new byte[0]);
    }

    private void get(HttpExchange ex, IamModel.Principal caller, String bucket, String key, boolean head)
            throws IOException {
        S3Model.StoredObject o = s3.get(caller, bucket, key);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", o.contentType() == null ? "binary/octet-stream" : o.contentType());
        headers.put("ETag", o.etag());
        headers.put("Last-Modified", HTTP_DATE.format(o.lastModified()));
        if (o.checksumCrc32() != null && "ENABLED".equalsIgnoreCase(header(ex, "x-amz-checksum-mode"))) {
            headers.put("x-amz-checksum-crc32", o.checksumCrc32());
        }
        send(ex, 200, headers, head ? null : o.body());
    }

    private void list(HttpExchange ex, IamModel.Principal caller, String bucket, Map<String, String> query)
            throws IOException {
        if (!"2".equals(query.get("list-type"))) {
            throw new AwsError("NotImplemented", "The simulator serves ListObjectsV2 (list-type=2) only", 501);
        }
        String prefix = query.getOrDefault("prefix", "");
        int max = Math.min(MAX_KEYS, Integer.parseInt(query.getOrDefault("max-keys", String.valueOf(MAX_KEYS))));
        String token = query.get("continuation-token");
        String after = token != null ? new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8)
                : query.get("start-after");
        List<Map.Entry<String, S3Model.StoredObject>> page = s3.list(caller, bucket, prefix, after, max + 1);
        boolean truncated = page.size() > max;
        page = page.subList(0, Math.min(max, page.size()));
        boolean url = "url".equals(query.get("encoding-type"));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .append(element("Name", bucket)).append(element("Prefix", encode(prefix, url)))
                .append(element("KeyCount", String.valueOf(page.size()))).append(element("MaxKeys", String.valueOf(max)))
                .append(element("IsTruncated", String.valueOf(truncated)));
        if (url) {
            xml.append(element("EncodingType", "url"));
        }
        if (token != null) {
            xml.append(element("ContinuationToken", token));
        }
        if (truncated) {
            String last = page.get(page.size() - 1).getKey();
            xml.append(element("NextContinuationToken",
                    Base64.getEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8))));
        }
        for (Map.Entry<String, S3Model.StoredObject> e : page) {
            xml.append("<Contents>").append(element("Key", encode(e.getKey(), url)))
                    .append(element("LastModified", ISO.format(e.getValue().lastModified())))
                    .append(element("ETag", e.getValue().etag()))
                    .append(element("Size", String.valueOf(e.getValue().body().length)))
                    .append(element("StorageClass", "STANDARD")).append("</Contents>");
        }
        xml.append("</ListBucketResult>");
        send(ex, 200, Map.of("Content-Type", "application/xml"), xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /<bucket>/<key>} as bucket and key (null when the path names only the bucket). */
    private static String[] bucketAndKey(HttpExchange ex) {
        String path = ex.getRequestURI().getRawPath();
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        String bucket = decode(slash < 0 ? rest : rest.substring(0, slash));
        String key = slash < 0 || slash == rest.length() - 1 ? null : decode(rest.substring(slash + 1));
        return new String[] {bucket, key};
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    /** Percent-decoding as in a URI path: a '+' is a plus sign (the SDK encodes spaces as %20). */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s, boolean url) {
        return url ? URLEncoder.encode(s, StandardCharsets.UTF_8) : s;
    }

    /** The base64 of the big-endian CRC32, as {@code x-amz-checksum-crc32} carries it. */
    static String crc32(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        long v = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
                (byte) v});
    }

    private static String header(HttpExchange ex, String name) {
        return ex.getRequestHeaders().getFirst(name);
    }

    private static void send(HttpExchange ex, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.getResponseHeaders().add("x-amz-request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16));
        if (body == null) { // HEAD: headers only
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
