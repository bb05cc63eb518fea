package dev.hermetic.packer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.archive.ValidationMode;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link PackOptions}: the validation options and {@code caches(false)}, their precedence and their errors. */
class PackOptionsTests {
    static final Path OUT = Path.of("app.jar");
    static final Path SRC = Path.of("src");

    @Test
    void builderWhenNothingIsSaidThenDefaultsAreEmptyValidationNoRulesAndCaches() {
        PackOptions options = PackOptions.builder().out(OUT).addSources(SRC).build();

        assertThat(options.validation()).isEmpty();
        assertThat(options.validationRules()).isEmpty();
        assertThat(options.caches()).isTrue();
        assertThat(options.validationOf("com/example/Main.java")).isEmpty();
    }

    @Test
    void validationOfWhenRulesAndValidationThenFirstMatchingRuleWinsThenValidation() {
        PackOptions options = PackOptions.builder().out(OUT).addSources(SRC)
                .validation(ValidationMode.CHECKED)
                .addValidationRule("com/example/legacy/Special.java", ValidationMode.TRUSTED)
                .addValidationRule("com/example/legacy/**", ValidationMode.TIMESTAMP)
                .addValidationRule(ValidationRule.parse("com/example/**=trusted"))
                .build();

        assertThat(options.validationOf("com/example/legacy/Special.java")).contains(ValidationMode.TRUSTED);
        assertThat(options.validationOf("com/example/legacy/Old.java")).contains(ValidationMode.TIMESTAMP);
        assertThat(options.validationOf("com/example/Main.java")).contains(ValidationMode.TRUSTED);
        assertThat(options.validationOf("org/other/Thing.java")).contains(ValidationMode.CHECKED);
        assertThat(options.validationRules()).extracting(ValidationRule::toString).containsExactly(
                "com/example/legacy/Special.java=trusted", "com/example/legacy/**=timestamp", "com/example/**=trusted");
    }

    @Test
    void validationOfWhenOnlyRulesThenUnmatchedModulesKeepTheDefault() {
        PackOptions options = PackOptions.builder().out(OUT).addSources(SRC)
                .addValidationRule("com/example/legacy/**", ValidationMode.TIMESTAMP).build();

        assertThat(options.validationOf("com/example/Main.java")).isEqualTo(Optional.empty());
    }

    @Test
    void buildWhenRulesAreAddedThenTheOptionsKeepAnImmutableCopy() {
        PackOptions.Builder builder = PackOptions.builder().out(OUT).addSources(SRC)
                .addValidationRule("a/**", ValidationMode.CHECKED);
        PackOptions options = builder.build();
        builder.addValidationRule("b/**", ValidationMode.CHECKED);

        assertThat(options.validationRules()).hasSize(1);
        assertThatThrownBy(() -> options.validationRules().add(new ValidationRule("c/**", ValidationMode.CHECKED)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void addValidationRuleWhenGlobIsMalformedThenFailsAtOnceNamingIt() {
        PackOptions.Builder builder = PackOptions.builder().out(OUT).addSources(SRC);

        assertThatThrownBy(() -> builder.addValidationRule("com/[x]/**", ValidationMode.CHECKED))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid validation rule glob 'com/[x]/**': character classes ([...]) are not supported");
        assertThatThrownBy(() -> builder.addValidationRule("com/**", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void buildWhenNoCachesWithAppThenFailsSayingToGiveNoApp() {
        assertThatThrownBy(() -> PackOptions.builder().out(OUT).addSources(SRC).addApp(Path.of("classes"))
                .caches(false).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("--no-caches ships sources only, which the packer compiles itself: give no --app");
    }

    @Test
    void buildWhenNoCachesWithoutSourcesThenFailsAskingForSources() {
        assertThatThrownBy(() -> PackOptions.builder().out(OUT).addLib(Path.of("lib.jar")).caches(false).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("--no-caches ships sources only: give --sources");
    }

    @Test
    void buildWhenNoCachesWithSourcesThenCachesIsFalse() {
        PackOptions options = PackOptions.builder().out(OUT).addSources(SRC).addLib(Path.of("lib.jar")).caches(false)
                .build();

        assertThat(options.caches()).isFalse();
        assertThat(options.libs()).isEqualTo(List.of(Path.of("lib.jar")));
    }

    @Test
    void buildWhenCompressionIsNotAskedThenItIsOffOnAllProcessorsWithoutReuseAndTheLauncherFrontAtTheRoot() {
        PackOptions options = PackOptions.builder().out(OUT).addSources(SRC).build();

        assertThat(options.compressResources()).isFalse();
        assertThat(options.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(options.reuse()).isEmpty();
        assertThat(options.launcherAtRoot()).isFalse();
    }

    @Test
    void buildWhenThreadsIsBelowOneThenIllegalArgumentException() {
        assertThatThrownBy(() -> PackOptions.builder().out(OUT).addSources(SRC).compressResources(true).threads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--threads: must be at least 1, not 0");
    }

    @Test
    void buildWhenReuseWithoutCompressResourcesThenIllegalArgumentException() {
        assertThatThrownBy(() -> PackOptions.builder().out(OUT).addSources(SRC).reuse(Path.of("old.jar")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--reuse copies compressed resources: give --compress-resources too");
    }
}
