package dev.hermetic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harnesses' shared option parsing, statistics and child JVMs. Never timings. */
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
    void runWhenTheChildOutlivesTheLimitThenItIsEndedAndTheFailureSaysSo() throws Exception {
        // a child that writes, then holds its output open: reading it to its end would wait for the child
        List<String> sleeper = List.of("-cp", System.getProperty("java.class.path"), Sleeper.class.getName());

        assertThatThrownBy(() -> ChildJvms.run(ChildJvms.runningJava(), List.of(), sleeper, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(" timed out after PT2S:\nasleep\n");
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(Sleeper.class.getName()))).isEmpty();
    }

    @Test
    void runWhenTheChildFailsThenItsOutputIsInTheFailure() {
        List<String> missing = List.of("-cp", "nowhere", "NoSuchClass");

        assertThatThrownBy(() -> ChildJvms.run(ChildJvms.runningJava(), List.of(), missing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(" failed:\n")
                .hasMessageContaining("NoSuchClass")
                .hasMessageContaining(" failed:\nError: Could not find or load main class NoSuchClass");
    }

    /** What {@link #runWhenTheChildOutlivesTheLimitThenItIsEndedAndTheFailureSaysSo} runs. */
    static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("asleep");
            Thread.sleep(60_000);
        }
    }

    @Test
    void medianWhenEvenOrOddCountThenTheMiddleOrTheMeanOfTheTwoMiddles() {
        assertThat(ChildJvms.median(new long[] {5, 1, 3})).isEqualTo(3.0);
        assertThat(ChildJvms.median(new long[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
