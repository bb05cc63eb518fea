package dev.hermetic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The harnesses' shared option parsing and statistics. Never timings. */
class ChildJvmsTests {
    @Test
    void optionsWhenSharedAndOwnNamesAreGivenThenEachIsKeptByName() {
        assertThat(ChildJvms.options(new String[] {"--runs", "3", "--apps", "h2", "--caches", "none,cds"},
                List.of("--apps")))
                .containsExactly(entry("--runs", "3"),
                        entry("--apps", "h2"),
                        entry("--caches", "none,cds"));
    }

    @Test
    void optionsWhenANameIsNotKnownThenIllegalArgumentException() {
        assertThatThrownBy(() -> ChildJvms.options(new String[] {"--sizes", "10"}, List.of("--apps")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option --sizes");
    }

    @Test
    void optionsWhenTheLastNameHasNoValueThenIllegalArgumentException() {
        assertThatThrownBy(() -> ChildJvms.options(new String[] {"--runs", "3", "--dir"}, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no value for option --dir");
    }

    @Test
    void medianWhenEvenOrOddCountThenTheMiddleOrTheMeanOfTheTwoMiddles() {
        assertThat(ChildJvms.median(new long[] {5, 1, 3})).isEqualTo(3.0);
        assertThat(ChildJvms.median(new long[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
