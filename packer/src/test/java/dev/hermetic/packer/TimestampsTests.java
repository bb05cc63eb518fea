package dev.hermetic.packer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTests {
    @Test
    void parseWhenIsoWithOffsetThenInstant() {
        assertThat(Timestamps.parse("2024-01-02T03:04:05Z")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(Timestamps.parse("2024-01-02T05:04:05+02:00")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }

    @Test
    void parseWhenEpochSecondsThenInstant() {
        assertThat(Timestamps.parse("1700000000")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(Timestamps.parse(" 0 ")).isEqualTo(Instant.EPOCH);
    }

    @Test
    void parseWhenNeitherThenNamesTheText() {
        for (String bad : new String[] {"", "yesterday", "2024-01-02", "2024-01-02T03:04:05", "-5", "99999999999999999999"}) {
            assertThatThrownBy(() -> Timestamps.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is neither ISO-8601 (2024-01-01T00:00:00Z) nor epoch seconds");
        }
    }
}
