package io.tokenrotator.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in hex, for deterministic names (request tokens, execution names, lease keys, cached files). */
public final class Hashes {
    private Hashes() {}

    /** The first {@code hexChars} hex digits of SHA-256 of {@code text} (UTF-8). */
    public static String sha256Hex(String text, int hexChars) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, hexChars);
    }

    /** SHA-256 of everything {@code in} holds, in 64 hex digits; reads it to the end, does not close it. */
    public static String sha256Hex(InputStream in) throws IOException {
        DigestInputStream digesting = new DigestInputStream(in, sha256());
        digesting.transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
