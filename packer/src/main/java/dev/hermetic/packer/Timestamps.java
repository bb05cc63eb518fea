package dev.hermetic.packer;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Entry times as people write them: {@code --timestamp}, {@code SOURCE_DATE_EPOCH} and Maven's
 * {@code project.build.outputTimestamp} all accept ISO-8601 with an offset
 * ({@code 2024-01-01T00:00:00Z}) or seconds since the epoch ({@code 1704067200}).
 */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * @param text ISO-8601 with an offset, or epoch seconds
     * @return the instant it names
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static Instant parse(String text) {
        String trimmed = text.trim();
        try {
            if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochSecond(Long.parseLong(trimmed));
            }
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is neither ISO-8601 (2024-01-01T00:00:00Z) nor epoch seconds");
        }
    }
}
