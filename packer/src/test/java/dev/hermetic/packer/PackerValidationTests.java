package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.javac;
import static dev.hermetic.packer.TestFixtures.sha256;
import static dev.hermetic.packer.TestFixtures.write;
import static dev.hermetic.packer.TestFixtures.writeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Packer#pack} records for validation, read back with the loader's {@link Archive}: each
 * module's mode by the documented precedence (first matching {@code --validation-rule}, then
 * {@code --validation}, then the defaults), source names declared to their modules, the recorded source
 * time, and archives packed without caches ({@code caches(false)}).
 */
class PackerValidationTests {
    static final String MAIN = "com.example.Main";

    @TempDir
    Path tmp;

    /** Three sources: Main (with a nested class and a lambda), legacy/Old, legacy/Older; and a resource. */
    Path src;

    @BeforeEach
    void writeSources() throws IOException {
        src = tmp.resolve("src");
        writeSource(src, MAIN, """
                package com.example;

                import com.example.legacy.Old;

                public class Main {
                    public static void main(String[] args) {
                        Runnable run = () -> System.out.println(Old.name() + new Inner().value());
                        run.run();
                    }

                    static final class Inner {
                        int value() {
                            return 42;
                        }
                    }
                }
                """);
        writeSource(src, "com.example.legacy.Old", """
                package com.example.legacy;

                public class Old {
                    public static String name() {
                        return com.example.legacy.Older.name() + "old";
                    }
                }
                """);
        writeSource(src, "com.example.legacy.Older", """
                package com.example.legacy;

                public class Older {
                    public static String name() {
                        return "older ";
                    }
                }
                """);
        write(src.resolve("com/example/app.properties"), "name=example\n");
    }

    PackOptions.Builder options(String name) {
        return PackOptions.builder().out(tmp.resolve(name)).mainClass(MAIN);
    }

    static List<Object> modes(Archive archive) throws IOException {
        List<Object> modes = new ArrayList<>();
        for (Module m : archive.modules()) {
            modes.add(tuple(m.source(), m.mode()));
        }
        return modes;
    }

    // ---------------------------------------------------------------- modes

    @Test
    void packWhenPackerCompilesAndNothingIsSaidThenEveryModuleIsTrusted() throws IOException {
        Path out = tmp.resolve("default.jar");
        Packer.pack(options("default.jar").addSources(src).build());

        try (Archive archive = Archive.open(out)) {
            assertThat(archive.modules()).extracting(Module::source, Module::mode).containsExactly(
                    tuple("com/example/Main.java", ValidationMode.TRUSTED),
                    tuple("com/example/legacy/Old.java", ValidationMode.TRUSTED),
                    tuple("com/example/legacy/Older.java", ValidationMode.TRUSTED));
        }
    }

    @Test
    void packWhenValidationIsGivenThenEveryModuleWithASourceHasIt() throws IOException {
        for (ValidationMode mode : ValidationMode.values()) {
            Path out = tmp.resolve(mode.label() + ".jar");
            Packer.pack(options(mode.label() + ".jar").addSources(src).validation(mode).build());

            try (Archive archive = Archive.open(out)) {
                assertThat(archive.modules()).as(mode.label()).extracting(Module::mode).containsOnly(mode).hasSize(3);
            }
        }
    }

    @Test
    void packWhenRulesAndValidationThenFirstMatchingRuleWinsThenValidationAppliesToTheRest() throws IOException {
        Path out = tmp.resolve("rules.jar");
        Packer.pack(options("rules.jar").addSources(src).validation(ValidationMode.CHECKED)
                .addValidationRule("com/example/legacy/Older.java", ValidationMode.TRUSTED)
                .addValidationRule("com/example/legacy/**", ValidationMode.TIMESTAMP)
                .addValidationRule("**/Older.java", ValidationMode.CHECKED)
                .build());

        try (Archive archive = Archive.open(out)) {
            assertThat(archive.modules()).extracting(Module::source, Module::mode).containsExactly(
                    tuple("com/example/Main.java", ValidationMode.CHECKED),
                    tuple("com/example/legacy/Old.java", ValidationMode.TIMESTAMP),
                    tuple("com/example/legacy/Older.java", ValidationMode.TRUSTED));
        }
    }

    @Test
    void packWhenOnlyRulesThenUnmatchedModulesKeepTheirDefault() throws IOException {
        Path classes = javac(src, tmp.resolve("classes"), List.of());
        Path out = tmp.resolve("app-rules.jar");
        Packer.pack(options("app-rules.jar").addApp(classes).addSources(src)
                .addValidationRule("com/example/legacy/**", ValidationMode.TRUSTED).build());

        try (Archive archive = Archive.open(out)) {
            assertThat(archive.modules()).extracting(Module::source, Module::mode).containsExactly(
                    tuple("com/example/Main.java", ValidationMode.CHECKED), // the default for --app with a source
                    tuple("com/example/legacy/Old.java", ValidationMode.TRUSTED),
                    tuple("com/example/legacy/Older.java", ValidationMode.TRUSTED));
        }
    }

    @Test
    void packWhenAppCachesHaveNoShippedSourceThenTheyStayTrustedWhateverTheOptions() throws IOException {
        Path classes = javac(src, tmp.resolve("classes"), List.of());
        Path shipped = tmp.resolve("shipped");
        write(shipped.resolve("com/example/Main.java"), Files.readAllBytes(src.resolve("com/example/Main.java")));
        Path out = tmp.resolve("partial.jar");
        Packer.pack(options("partial.jar").addApp(classes).addSources(shipped).validation(ValidationMode.TIMESTAMP)
                .addValidationRule("com/example/legacy/**", ValidationMode.CHECKED).build());

        try (Archive archive = Archive.open(out)) {
            assertThat(archive.modules()).extracting(Module::source, Module::mode, Module::hasSource).containsExactly(
                    tuple("com/example/Main.java", ValidationMode.TIMESTAMP, true),
                    tuple("com/example/legacy/Old.java", ValidationMode.TRUSTED, false),
                    tuple("com/example/legacy/Older.java", ValidationMode.TRUSTED, false));
        }
    }

    @Test
    void packWhenTimestampIsAnOddSecondThenSourceTimeIsTheEntrysTwoSecondDosTime() throws IOException {
        Path out = tmp.resolve("time.jar");
        Packer.pack(options("time.jar").addSources(src).validation(ValidationMode.TIMESTAMP)
                .timestamp(Instant.parse("2024-03-05T06:07:09.500Z")).build());

        try (Archive archive = Archive.open(out); ZipFile zip = new ZipFile(out.toFile())) {
            for (Module m : archive.modules()) {
                assertThat(Instant.ofEpochMilli(m.sourceTime())).as(m.source()).isEqualTo("2024-03-05T06:07:08Z");
                ZipEntry entry = zip.getEntry(ArchiveLayout.SOURCES + m.source());
                // the entry's DOS fields, which the packer writes as UTC wall-clock time
                assertThat(entry.getTimeLocal()).hasToString("2024-03-05T06:07:08");
                byte[] bytes = Files.readAllBytes(src.resolve(m.source()));
                assertThat(m.sourceSize()).isEqualTo(bytes.length);
                assertThat(m.sourceSha256()).isEqualTo(sha256(bytes));
            }
        }
    }

    // ---------------------------------------------------------------- declared names

    @Test
    void packWhenSourcesAreShippedThenEachSourceNameIsDeclaredToItsModuleWithoutAnEntry() throws IOException {
        Path out = tmp.resolve("declared.jar");
        Packer.pack(options("declared.jar").addSources(src).build());

        try (Archive archive = Archive.open(out)) {
            for (Module m : archive.modules()) {
                assertThat(archive.moduleOf(m.source())).as(m.source()).isEqualTo(m.id());
                assertThat(archive.find(m.source())).as(m.source()).isNull();
                assertThat(archive.findAll(m.source())).isEmpty();
            }
            // the javac convention the loader follows: a nested class's source is its top-level class's
            assertThat(archive.moduleOf("com/example/Main.java")).isEqualTo(archive.moduleOf("com/example/Main$Inner.class"));
            // declared names are not entries
            assertThat(archive.entries()).extracting(IndexedEntry::name).noneMatch(n -> n.endsWith(".java"));
        }
    }

    @Test
    void packWhenAppCachesWithoutShippedSourcesThenNothingIsDeclared() throws IOException {
        Path classes = javac(src, tmp.resolve("classes"), List.of());
        Path out = tmp.resolve("no-sources.jar");
        Packer.pack(options("no-sources.jar").addApp(classes).build());

        try (Archive archive = Archive.open(out)) {
            assertThat(archive.moduleOf("com/example/Main.java")).isEqualTo(-1);
            assertThat(archive.moduleOf("com/example/Main.class")).isNotNegative();
        }
    }

    // ---------------------------------------------------------------- no caches

    @Test
    void packWhenNoCachesThenSourcesAndResourcesAreShippedEveryClassIsDeclaredAndNoClassEntryExists() throws IOException {
        Path out = tmp.resolve("no-caches.jar");
        PackResult result = Packer.pack(options("no-caches.jar").addSources(src).caches(false).build());

        Path expected = javac(src, tmp.resolve("expected"), SourceCompiler.options(17));
        List<String> classes = TestFixtures.classPathNames(expected).stream().filter(n -> n.endsWith(".class")).toList();
        assertThat(classes).contains("com/example/Main.class", "com/example/Main$Inner.class",
                "com/example/legacy/Old.class", "com/example/legacy/Older.class");
        try (Archive archive = Archive.open(out); ZipFile zip = new ZipFile(out.toFile())) {
            assertThat(archive.entries()).extracting(IndexedEntry::name)
                    .containsExactly("com/", "com/example/", "com/example/app.properties", "com/example/legacy/");
            assertThat(Collections.list(zip.entries())).extracting(ZipEntry::getName)
                    .noneMatch(n -> n.endsWith(".class") && n.startsWith(ArchiveLayout.CLASSES))
                    .contains(ArchiveLayout.SOURCES + "com/example/Main.java",
                            ArchiveLayout.SOURCES + "com/example/legacy/Old.java",
                            ArchiveLayout.SOURCES + "com/example/legacy/Older.java");
            List<Module> modules = archive.modules();
            assertThat(modules).extracting(Module::source, Module::mode, Module::hasSource, Module::classVersion,
                            Module::release, Module::compilerOptions)
                    .containsExactly(
                            tuple("com/example/Main.java", ValidationMode.TRUSTED, true, 0, 17, String.join(" ", SourceCompiler.options(17))),
                            tuple("com/example/legacy/Old.java", ValidationMode.TRUSTED, true, 0, 17, String.join(" ", SourceCompiler.options(17))),
                            tuple("com/example/legacy/Older.java", ValidationMode.TRUSTED, true, 0, 17, String.join(" ", SourceCompiler.options(17))));
            for (String name : classes) {
                String top = name.substring(0, name.length() - ".class".length());
                String source = (top.indexOf('$') > 0 ? top.substring(0, top.indexOf('$')) : top) + ".java";
                assertThat(archive.find(name)).as(name).isNull();
                assertThat(modules.get(archive.moduleOf(name)).source()).as(name).isEqualTo(source);
            }
            assertThat(archive.moduleOf("com/example/Missing.class")).isEqualTo(-1);
            try (JarFile jar = new JarFile(out.toFile())) {
                assertThat(jar.getManifest().getMainAttributes().getValue("Build-Jdk-Spec"))
                        .isEqualTo(Integer.toString(Runtime.version().feature()));
            }
        }
        assertThat(result.modules()).isEqualTo(3);
        assertThat(result.entries()).isEqualTo(4);
        assertThat(result.mainClass()).isEqualTo(MAIN);
    }

    @Test
    void packWhenNoCachesAndValidationThenModesApplyAsWithCaches() throws IOException {
        Path out = tmp.resolve("no-caches-checked.jar");
        Packer.pack(options("no-caches-checked.jar").addSources(src).caches(false).validation(ValidationMode.CHECKED)
                .addValidationRule("com/example/legacy/**", ValidationMode.TIMESTAMP).build());

        try (Archive archive = Archive.open(out)) {
            assertThat(archive.modules()).extracting(Module::mode).containsExactly(
                    ValidationMode.CHECKED, ValidationMode.TIMESTAMP, ValidationMode.TIMESTAMP);
        }
    }

    @Test
    void packWhenNoCachesAndMainClassIsNotDeclaredThenFailsNamingIt() {
        assertThatThrownBy(() -> Packer.pack(PackOptions.builder().out(tmp.resolve("x.jar")).mainClass("com.example.Nope")
                .addSources(src).caches(false).build()))
                .isExactlyInstanceOf(PackException.class)
                .hasMessage("main class com.example.Nope is not in the application or its libraries");
        assertThat(tmp.resolve("x.jar")).doesNotExist();
    }

    @Test
    void packWhenNoCachesAndASourceDoesNotCompileThenFailsNamingTheFileAndLine() throws IOException {
        Path broken = writeSource(src, "com.example.Broken", """
                package com.example;

                class Broken {
                    int value() {
                        return undefinedName;
                    }
                }
                """);

        assertThatThrownBy(() -> Packer.pack(options("broken.jar").addSources(src).caches(false).build()))
                .isInstanceOf(PackException.class)
                .hasMessage(broken + ": does not compile: line 5: cannot find symbol");
    }

    @Test
    void packWhenAppIsGivenThenTheManifestRecordsNoCompilerRelease() throws IOException {
        Path classes = javac(src, tmp.resolve("classes"), List.of());
        Path out = tmp.resolve("app.jar");
        Packer.pack(options("app.jar").addApp(classes).build());

        try (JarFile jar = new JarFile(out.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Build-Jdk-Spec")).isNull();
        }
    }
}
