package dev.srv6sh.aws;

import java.security.SecureRandom;

/**
 * Credentials shaped like AWS's, made up when a test runs, so that no string in the repository looks
 * like a credential: a key ID (AKIA… long-term, ASIA… temporary, 20 characters), a 40-character
 * secret and a session token. Nothing accepts them but moto_server, which checks no signature.
 */
final class FakeCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private FakeCredentials() {}

    /** A key ID: {@code prefix} (AKIA or ASIA) and 16 upper-case letters or digits. */
    static String keyId(String prefix) {
        return prefix + of(UPPER, 16);
    }

    static String secret() {
        return of(BASE64, 40);
    }

    /** A session token of about {@code length} characters, ending as AWS's do. */
    static String token(int length) {
        return of(BASE64, length) + "==";
    }

    private static String of(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
