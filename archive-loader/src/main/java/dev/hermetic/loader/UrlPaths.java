package dev.hermetic.loader;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of entry names in URL paths, as the JDK's {@code jar:} URLs expect: bytes outside
 * the unreserved and path characters become {@code %XX} of their UTF-8 form, so spaces and non-ASCII
 * names survive {@code toExternalForm()} and re-parsing.
 */
final class UrlPaths {
    private static final String HEX = "0123456789ABCDEF";

    private UrlPaths() {
    }

    static String encode(String name) {
        int i = 0;
        while (i < name.length() && plain(name.charAt(i))) {
            i++;
        }
        if (i == name.length()) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length() + 16).append(name, 0, i);
        for (byte b : name.substring(i).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (b >= 0 && plain(c)) {
                out.append(c);
            } else {
                out.append('%').append(HEX.charAt((b >> 4) & 0xF)).append(HEX.charAt(b & 0xF));
            }
        }
        return out.toString();
    }

    static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                bytes.write(Integer.parseInt(path, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean plain(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~/$&+,;=:@".indexOf(c) >= 0;
    }
}
