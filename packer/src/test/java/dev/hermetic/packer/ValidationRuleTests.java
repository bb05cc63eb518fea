package dev.hermetic.packer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hermetic.loader.archive.ValidationMode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ValidationRule}: the glob syntax over source paths, {@code GLOB=MODE} parsing and its errors. */
class ValidationRuleTests {
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // ** crosses directories
            "com/example/legacy/**   | com/example/legacy/Old.java         | true",
            "com/example/legacy/**   | com/example/legacy/deep/Older.java  | true",
            "com/example/legacy/**   | com/example/legacyx/Old.java        | false",
            "com/example/legacy/**   | com/example/Main.java               | false",
            // * and ? stay within a directory
            "com/example/*.java      | com/example/Main.java               | true",
            "com/example/*.java      | com/example/legacy/Old.java         | false",
            "com/example/Ma?n.java   | com/example/Main.java               | true",
            "com/example/Ma?n.java   | com/example/Ma/n.java               | false",
            // **/ matches zero or more whole directories
            "**/Legacy*.java         | LegacyA.java                        | true",
            "**/Legacy*.java         | a/b/LegacyB.java                    | true",
            "**/Legacy*.java         | a/b/OldLegacyB.java                 | false",
            "com/**/Old.java         | com/Old.java                        | true",
            "com/**/Old.java         | com/x/y/Old.java                    | true",
            // a trailing / means everything below
            "com/example/legacy/     | com/example/legacy/a/B.java         | true",
            // {a,b} alternatives; other characters are literal (regex characters too)
            "com/{one,two}/*.java    | com/two/A.java                      | true",
            "com/{one,two}/*.java    | com/three/A.java                    | false",
            "com/a+b/$X.java         | com/a+b/$X.java                     | true",
            "com/a+b/$X.java         | com/aab/$X.java                     | false",
            "com/example/Main.java   | com/example/Main.java               | true",
            "com/example/Main.java   | com/example/Main.javax              | false",
    })
    void matchesWhenGlobThenMatchesWholeSourcePathsAsDocumented(String glob, String path, boolean matches) {
        assertThat(new ValidationRule(glob, ValidationMode.CHECKED).matches(path)).isEqualTo(matches);
    }

    @Test
    void parseWhenGlobEqualsModeThenSplitsAtTheLastEqualsSignAndReadsTheModeInAnyCase() {
        assertThat(ValidationRule.parse("com/example/legacy/**=checked"))
                .isEqualTo(new ValidationRule("com/example/legacy/**", ValidationMode.CHECKED));
        assertThat(ValidationRule.parse("a=b/**=TIMESTAMP"))
                .isEqualTo(new ValidationRule("a=b/**", ValidationMode.TIMESTAMP));
        assertThat(ValidationRule.parse("**=Trusted").toString()).isEqualTo("**=trusted");
    }

    @Test
    void parseWhenNoEqualsSignThenFailsShowingTheForm() {
        assertThatThrownBy(() -> ValidationRule.parse("com/example/**"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("validation rule 'com/example/**' is not GLOB=MODE (for example com/example/legacy/**=checked)");
    }

    @Test
    void parseWhenModeIsUnknownThenFailsListingTheModes() {
        assertThatThrownBy(() -> ValidationRule.parse("com/**=sometimes"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown validation mode 'sometimes': expected trusted, checked or timestamp");
        assertThatThrownBy(() -> ValidationRule.mode(""))
                .hasMessage("unknown validation mode '': expected trusted, checked or timestamp");
    }

    @ParameterizedTest(name = "glob ''{0}''")
    @CsvSource(delimiter = '|', value = {
            "''                      | it is empty",
            "/com/example/**         | source paths are relative to the source root (com/example/**), so it may not start with /",
            "com/[ab]/*.java         | character classes ([...]) are not supported",
            "com\\example\\*.java    | use / to separate directories; \\ is not supported",
            "com/{a,{b,c}}/**        | {...} groups may not be nested",
            "com/{a,b/**             | { without }",
            "com/a}/**               | } without {",
    })
    void constructorWhenGlobIsMalformedThenFailsNamingGlobAndReason(String glob, String reason) {
        assertThatThrownBy(() -> new ValidationRule(glob, ValidationMode.TRUSTED))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid validation rule glob '" + glob + "': " + reason);
    }
}
