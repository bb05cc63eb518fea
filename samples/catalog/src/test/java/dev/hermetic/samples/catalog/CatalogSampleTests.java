package dev.hermetic.samples.catalog;

import static dev.hermetic.samples.support.ChildJvm.assertSameRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.Packer;
import dev.hermetic.samples.support.ChildJvm;
import dev.hermetic.samples.support.JavaRun;
import dev.hermetic.samples.support.SampleBuild;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packs the catalog sample (its classes and resources, and its four Jackson jars nested whole) with
 * the packer's Java API, runs it with {@code java -jar} in a child JVM and compares its exit code,
 * standard output and standard error with {@code java -cp target/classes:JARS... CatalogApp}.
 */
class CatalogSampleTests {
    private static final String MAIN_CLASS = "dev.hermetic.samples.catalog.CatalogApp";

    private static SampleBuild build;
    private static Path dir;
    private static ChildJvm jvm;
    private static Path archive;

    @BeforeAll
    static void pack() throws IOException {
        build = SampleBuild.current();
        dir = build.freshDirectory("catalog");
        jvm = ChildJvm.in(dir);
        archive = pack(dir.resolve("catalog.jar"));
    }

    private static Path pack(Path out) throws IOException {
        PackOptions.Builder options = PackOptions.builder()
                .out(out)
                .mainClass(MAIN_CLASS)
                .addApp(build.classes())
                .timestamp(build.timestamp());
        build.libJars().forEach(options::addLib);
        Packer.pack(options.build());
        return out;
    }

    @Test
    void libJarsWhenCopiedByBuildThenAreTheFourJacksonJars() throws IOException {
        assertThat(build.libJars()).map(jar -> jar.getFileName().toString().replaceFirst("-[0-9.]+\\.jar$", ""))
                .containsExactly("jackson-annotations", "jackson-core", "jackson-databind", "jackson-datatype-jsr310");
    }

    @Test
    void javaJarWhenNoArgumentsThenPrintsSameReportAsClassPathRun() throws Exception {
        JavaRun plain = plainRun();
        JavaRun packed = jvm.javaJar(archive);

        assertThat(plain.exitCode()).as("%s", plain).isZero();
        assertThat(plain.stderr()).as("%s", plain).isEmpty();
        assertThat(plain.stdout().lines()).as("%s", plain).contains(
                "Hermetic Sample Store: 11 of 11 items",
                "jackson-databind 2.21.3 with modules [jackson-datatype-jsr310]",
                "context class loader is the application's: true",
                "class path manifests: [com.fasterxml.jackson.core.jackson-annotations,"
                        + " com.fasterxml.jackson.core.jackson-core, com.fasterxml.jackson.core.jackson-databind,"
                        + " com.fasterxml.jackson.datatype.jackson-datatype-jsr310]",
                "class path licenses: 4",
                "== Items per category (CategoryCounts) ==",
                "== Prices (PriceSummary) ==",
                "== Releases (ReleaseDecades) ==",
                "total    404.80 EUR",
                "{\"sku\":\"T-403\",\"name\":\"Caliper\",\"category\":\"tools\",\"price\":22.00,"
                        + "\"released\":\"2023-04-18\",\"restocked\":\"2025-03-14T09:00:00Z\",\"tags\":[\"measuring\"]}");
        assertSameRun(packed, plain);
    }

    @Test
    void javaJarWhenCategoriesAndDateGivenThenPrintsSameFilteredReport() throws Exception {
        String[] args = {"tools", "books", "--since", "2018-01-01"};

        JavaRun plain = plainRun(args);
        JavaRun packed = jvm.javaJar(archive, args);

        assertThat(plain.exitCode()).as("%s", plain).isZero();
        assertThat(plain.stdout()).as("%s", plain)
                .startsWith("Hermetic Sample Store: 4 of 11 items, categories books tools, released since 2018-01-01")
                .contains("2020s  T-401 T-402 T-403");
        assertSameRun(packed, plain);
    }

    @Test
    void javaJarWhenCategoryUnknownThenExitsTwoWithSameMessage() throws Exception {
        JavaRun plain = plainRun("toys");
        JavaRun packed = jvm.javaJar(archive, "toys");

        assertThat(plain.exitCode()).as("%s", plain).isEqualTo(2);
        assertThat(plain.stdout()).as("%s", plain).isEmpty();
        assertThat(plain.stderr()).as("%s", plain)
                .isEqualTo("catalog: unknown category 'toys'; known: books, games, music, tools" + System.lineSeparator());
        assertSameRun(packed, plain);
    }

    @Test
    void javaJarWhenDateInvalidThenFailsWithSameStackTraceThroughNestedJars() throws Exception {
        JavaRun plain = plainRun("--since", "2024-13-01");
        JavaRun packed = jvm.javaJar(archive, "--since", "2024-13-01");

        assertThat(plain.exitCode()).as("%s", plain).isEqualTo(1);
        assertThat(plain.stdout()).as("%s", plain).isEmpty();
        assertThat(plain.stderr()).as("%s", plain)
                .startsWith("Exception in thread \"main\" com.fasterxml.jackson.databind.exc.InvalidFormatException:")
                .contains("\tat com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer.deserialize(",
                        "\tat dev.hermetic.samples.catalog.CatalogApp.main(CatalogApp.java:",
                        "Caused by: java.time.format.DateTimeParseException: Text '2024-13-01' could not be parsed");
        assertSameRun(packed, plain);
    }

    @Test
    void packWhenLibsGivenThenNestsEachJarWholeAndStored() throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Path jar : build.libJars()) {
                ZipEntry nested = zip.getEntry("HERMETIC-INF/lib/" + jar.getFileName());
                assertThat(nested).as("nested %s", jar.getFileName()).isNotNull();
                assertThat(nested.getMethod()).as("compression method of %s", nested).isEqualTo(ZipEntry.STORED);
                try (InputStream in = zip.getInputStream(nested)) {
                    assertThat(in.readAllBytes()).as("bytes of %s", nested).isEqualTo(Files.readAllBytes(jar));
                }
            }
            assertThat(zip.getEntry("HERMETIC-INF/classes/catalog.properties")).isNotNull();
            assertThat(zip.getEntry("HERMETIC-INF/classes/dev/hermetic/samples/catalog/catalog.json")).isNotNull();
            assertThat(zip.getEntry("HERMETIC-INF/classes/META-INF/services/" + ReportSection.class.getName())).isNotNull();
            assertThat(zip.getEntry("com/fasterxml/jackson/databind/ObjectMapper.class"))
                    .as("library class at the archive root").isNull();
        }
    }

    @Test
    void packWhenPackedTwiceFromSameInputsThenArchivesAreByteIdentical() throws IOException {
        Path again = pack(dir.resolve("catalog-again.jar"));

        assertThat(Files.size(again)).isPositive();
        assertThat(Files.readAllBytes(again)).as("second archive").isEqualTo(Files.readAllBytes(archive));
    }

    private static JavaRun plainRun(String... args) throws Exception {
        return jvm.javaClassPath(build.classPath(), MAIN_CLASS, args);
    }
}
