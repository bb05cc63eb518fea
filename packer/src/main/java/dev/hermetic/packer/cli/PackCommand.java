package dev.hermetic.packer.cli;

import dev.hermetic.packer.PackOptions;
import dev.hermetic.packer.PackProgress;
import dev.hermetic.packer.PackResult;
import dev.hermetic.packer.Packer;
import dev.hermetic.packer.Timestamps;
import dev.hermetic.packer.ValidationRule;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code packer pack}: see {@link dev.hermetic.packer.Packer}. */
@Command(name = "pack", mixinStandardHelpOptions = true,
        description = "Packs an application into one archive that runs with java -jar.",
        footer = {"", "Examples:",
                "  packer pack --out app.jar --app target/app.jar \\",
                "      --lib deps/a.jar --lib deps/b.jar",
                "  packer pack --out hello.jar --sources src/main/java \\",
                "      --main-class com.example.Hello",
                "  packer pack --out app.jar --app target/classes --sources src/main/java \\",
                "      --main-class com.example.Main --validation trusted",
                "  packer pack --out app.jar --sources src/main/java \\",
                "      --main-class com.example.Main \\",
                "      --validation-rule 'com/example/legacy/**=timestamp'",
                "  packer pack --out app.jar --sources src/main/java \\",
                "      --main-class com.example.Main --no-caches",
                "  packer pack --out app.jar --app target/app.jar --compress-resources \\",
                "      --reuse app.jar",
                "", "Validation modes: trusted (serve the cache, never look at the source), checked (serve the "
                + "cache if the source's SHA-256 is the recorded one, else recompile), timestamp (compare the "
                + "source's size and time). A module whose source is shipped gets the mode of the first "
                + "--validation-rule whose GLOB matches its source path, else --validation, else the default: "
                + "trusted for classes the packer compiled, checked for --app classes. Modules whose source is "
                + "not shipped are always trusted.",
                "", "GLOB: * and ? within a directory, ** across directories (**/ also matches none), {a,b} "
                + "alternatives; a trailing / means everything below.",
                "", "Entry times come from --timestamp, else SOURCE_DATE_EPOCH, else 1980-02-01T00:00:00Z."})
final class PackCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The archive to write.")
    Path out;

    @Option(names = "--main-class", paramLabel = "NAME",
            description = "The application's main class (default: the first --app jar's Main-Class).")
    String mainClass;

    @Option(names = "--app", paramLabel = "PATH",
            description = "Application classes: a jar or a directory of class files. Repeatable. "
                    + "Without --app, the packer compiles --sources.")
    List<Path> apps = new ArrayList<>();

    @Option(names = "--lib", paramLabel = "JAR", description = "A dependency jar, nested whole. Repeatable.")
    List<Path> libs = new ArrayList<>();

    @Option(names = "--sources", paramLabel = "DIR",
            description = "A root of .java sources, shipped beside the classes. Repeatable.")
    List<Path> sources = new ArrayList<>();

    @Option(names = "--timestamp", paramLabel = "TIME",
            description = "Time of every entry: ISO-8601 (2024-01-01T00:00:00Z) or epoch seconds.")
    String timestamp;

    @Option(names = "--release", paramLabel = "N", description = "The Java release to compile --sources for (default: ${DEFAULT-VALUE}).")
    int release = PackOptions.DEFAULT_RELEASE;

    @Option(names = "--validation", paramLabel = "MODE",
            description = "trusted, checked or timestamp: the mode of every module whose source is shipped "
                    + "(default: trusted for classes the packer compiled, checked for --app classes).")
    String validation;

    @Option(names = "--validation-rule", paramLabel = "GLOB=MODE",
            description = "The mode of modules whose source path matches GLOB (com/example/legacy/**=checked). "
                    + "Repeatable; the first matching rule wins, over --validation.")
    List<String> validationRules = new ArrayList<>();

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "auto (default): a progress bar on standard error once a pack takes longer than half a "
                    + "second, only when attached to a terminal; always; never.")
    String progress;

    @Option(names = "--no-caches", description = "Ship the sources without their classes: the packer compiles "
            + "them to check them and to learn their classes, and the loader compiles each on first use.")
    boolean noCaches;

    @Option(names = "--compress-resources", description = "DEFLATE the application's resources (files that are not "
            + "class files) where that makes them smaller. Classes, sources, nested jars and the index stay stored: "
            + "they are read in place.")
    boolean compressResources;

    @Option(names = "--threads", paramLabel = "N", description = "Threads that pack: they read, inflate, hash "
            + "and compress entries while one of them writes the archive (default: the available processors). The "
            + "archive is byte-identical whatever N.")
    Integer threads;

    @Option(names = "--reuse", paramLabel = "OLD.jar", description = "An archive packed earlier with "
            + "--compress-resources: resources whose content is unchanged are copied from it compressed instead of "
            + "being compressed again. The archive is byte-identical to a pack without --reuse.")
    Path reuse;

    @Option(names = "--launcher-at-root", description = "Put every class of the archive loader at the archive's "
            + "root, not only the launcher's front, so that -Dhermetic.launcher=app can launch in the JDK's "
            + "application class loader. Costs every launch about 1 ms and the archive 300 KB.")
    boolean launcherAtRoot;

    @Override
    public Integer call() throws Exception {
        if (apps.isEmpty() && sources.isEmpty() && libs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --app, --sources or --lib");
        }
        PackOptions.Builder options = PackOptions.builder().out(out).mainClass(mainClass).release(release)
                .timestamp(timestamp(timestamp, System.getenv("SOURCE_DATE_EPOCH"))).caches(!noCaches)
                .compressResources(compressResources).reuse(reuse).launcherAtRoot(launcherAtRoot);
        if (threads != null) {
            options.threads(threads);
        }
        apps.forEach(options::addApp);
        libs.forEach(options::addLib);
        sources.forEach(options::addSources);
        PackOptions built;
        try {
            if (validation != null) {
                options.validation(ValidationRule.mode(validation));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--validation: " + e.getMessage());
        }
        for (String rule : validationRules) {
            try {
                options.addValidationRule(ValidationRule.parse(rule));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--validation-rule: " + e.getMessage());
            }
        }
        try {
            built = options.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PackResult result;
        try (TerminalProgress bar = progress(progress, System.console() != null)) {
            result = Packer.pack(built, bar == null ? PackProgress.NONE : bar);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "packed %s: %d bytes, %d entries, %d modules, %d nested jars, main class %s%n",
                result.archive(), result.size(), result.entries(), result.modules(), result.nestedJars(),
                result.mainClass());
        if (compressResources) {
            spec.commandLine().getOut().printf(Locale.ROOT, "resources: %d deflated%s%n", result.deflated(),
                    reuse == null ? "" : ", " + result.reused() + " copied unchanged from " + reuse);
        }
        return 0;
    }

    /**
     * The progress display {@code --progress} asks for: none for {@code never}, or for {@code auto} when
     * not attached to a terminal (output to a file or a pipe, as in builds and tests); a delayed bar for
     * {@code auto} on a terminal; an immediate bar for {@code always}.
     *
     * @param terminal whether standard input and output are a terminal ({@code System.console() != null})
     * @return the display, or null for none
     */
    TerminalProgress progress(String when, boolean terminal) {
        int width = TerminalProgress.terminalWidth(System.getenv("COLUMNS"));
        return switch (when) {
            case "never" -> null;
            case "always" -> new TerminalProgress(spec.commandLine().getErr(), 0, System::currentTimeMillis, width);
            case "auto" -> terminal ? new TerminalProgress(spec.commandLine().getErr(), TerminalProgress.AUTO_DELAY_MILLIS,
                    System::currentTimeMillis, width) : null;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--progress: expected auto, always or never, not '" + when + "'");
        };
    }

    /** The --timestamp option, else SOURCE_DATE_EPOCH, else the default. */
    private Instant timestamp(String option, String environment) {
        if (option != null) {
            return parseTime(option, "--timestamp");
        }
        if (environment != null && !environment.isBlank()) {
            return parseTime(environment.trim(), "SOURCE_DATE_EPOCH");
        }
        return PackOptions.DEFAULT_TIMESTAMP;
    }

    private Instant parseTime(String text, String source) {
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), source + " " + e.getMessage());
        }
    }
}
