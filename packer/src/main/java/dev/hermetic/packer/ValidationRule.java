package dev.hermetic.packer;

import dev.hermetic.loader.archive.ValidationMode;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A per-module validation rule: modules whose source path matches {@link #glob()} get {@link #mode()}
 * ({@code --validation-rule GLOB=MODE}).
 *
 * <p>The glob matches a module's source path below its source root, {@code /}-separated, the same on
 * every operating system ({@code com/example/legacy/Old.java}):
 * <ul>
 *   <li>{@code *} matches any characters but {@code /}; {@code ?} one character but {@code /};</li>
 *   <li>{@code **} matches any characters including {@code /}; {@code **}{@code /} matches zero or more
 *       whole directories, so {@code **}{@code /Legacy*.java} matches {@code Legacy.java} too;</li>
 *   <li>{@code {a,b}} matches either alternative (not nested);</li>
 *   <li>a glob ending in {@code /} means everything below that directory ({@code com/legacy/} is
 *       {@code com/legacy/**});</li>
 *   <li>every other character matches itself; {@code [}, {@code ]} and {@code \} are refused, and so is
 *       a leading {@code /}, since source paths are relative.</li>
 * </ul>
 *
 * @param glob the pattern, as given
 * @param mode the mode of the modules it matches
 */
public record ValidationRule(String glob, ValidationMode mode) {
    /**
     * @throws IllegalArgumentException when the glob is empty or malformed
     * @throws NullPointerException     when the glob or the mode is null
     */
    public ValidationRule {
        Objects.requireNonNull(glob, "glob");
        Objects.requireNonNull(mode, "mode");
        compile(glob);
    }

    /**
     * Parses {@code GLOB=MODE}, as given to {@code --validation-rule}; the last {@code =} separates the
     * two.
     *
     * @throws IllegalArgumentException when the text has no {@code =}, the glob is malformed or the mode
     *                                  unknown
     */
    public static ValidationRule parse(String text) {
        int equals = text.lastIndexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("validation rule '" + text
                    + "' is not GLOB=MODE (for example com/example/legacy/**=checked)");
        }
        return new ValidationRule(text.substring(0, equals), mode(text.substring(equals + 1)));
    }

    /**
     * Parses a mode's label: {@code trusted}, {@code checked} or {@code timestamp} (any case).
     *
     * @throws IllegalArgumentException when it is none of them
     */
    public static ValidationMode mode(String label) {
        for (ValidationMode mode : ValidationMode.values()) {
            if (mode.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown validation mode '" + label + "': expected trusted, checked or timestamp");
    }

    /** @return whether the rule applies to a module of this source path ({@code com/example/Main.java}) */
    public boolean matches(String sourcePath) {
        return compile(glob).matcher(sourcePath).matches();
    }

    @Override
    public String toString() {
        return glob + "=" + mode.label();
    }

    /** The glob as a regular expression over the whole source path. */
    private static Pattern compile(String glob) {
        if (glob.isEmpty()) {
            throw invalid(glob, "it is empty");
        }
        if (glob.startsWith("/")) {
            throw invalid(glob, "source paths are relative to the source root (com/example/**), so it may not start with /");
        }
        String pattern = glob.endsWith("/") ? glob + "**" : glob;
        StringBuilder regex = new StringBuilder();
        boolean inGroup = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                        i++;
                        boolean wholeDirectories = (i == 1 || pattern.charAt(i - 2) == '/')
                                && i + 1 < pattern.length() && pattern.charAt(i + 1) == '/';
                        if (wholeDirectories) {
                            i++;
                            regex.append("(?:.*/)?");
                        } else {
                            regex.append(".*");
                        }
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '{' -> {
                    if (inGroup) {
                        throw invalid(glob, "{...} groups may not be nested");
                    }
                    inGroup = true;
                    regex.append("(?:");
                }
                case '}' -> {
                    if (!inGroup) {
                        throw invalid(glob, "} without {");
                    }
                    inGroup = false;
                    regex.append(')');
                }
                case ',' -> regex.append(inGroup ? "|" : ",");
                case '[', ']' -> throw invalid(glob, "character classes ([...]) are not supported");
                case '\\' -> throw invalid(glob, "use / to separate directories; \\ is not supported");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inGroup) {
            throw invalid(glob, "{ without }");
        }
        return Pattern.compile(regex.toString());
    }

    private static IllegalArgumentException invalid(String glob, String why) {
        return new IllegalArgumentException("invalid validation rule glob '" + glob + "': " + why);
    }
}
