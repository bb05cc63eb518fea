package dev.hermetic.samples.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * Prints a report of a small shop's catalog. Usage: {@code catalog [--since YYYY-MM-DD] [CATEGORY...]}.
 *
 * <p>What it takes from its class path, so that a packed run can be compared with {@code java -cp}:
 * <ul>
 *   <li>{@code catalog.properties} (through a resource URL) and
 *       {@code dev/hermetic/samples/catalog/catalog.json} (a name relative to this class);</li>
 *   <li>Jackson's own modules, found by {@link ObjectMapper#findAndRegisterModules()} with
 *       {@link ServiceLoader} in the dependency jars (jackson-datatype-jsr310 reads the dates);</li>
 *   <li>its own {@link ReportSection} plugins, listed in its {@code META-INF/services};</li>
 *   <li>every {@code META-INF/MANIFEST.MF} and {@code META-INF/LICENSE} on the class path.</li>
 * </ul>
 * The output is deterministic: sorted, with no times of day, paths or hash codes.
 *
 * <p>Exit codes: 0 for a report; 2 for an unknown option or category, with a message on standard
 * error; an invalid {@code --since} date is an uncaught Jackson exception (exit code 1).
 */
public final class CatalogApp {
    private static final int USAGE_ERROR = 2;

    private CatalogApp() {
    }

    public static void main(String[] args) throws IOException {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
        mapper.findAndRegisterModules();

        Set<String> wanted = new TreeSet<>();
        LocalDate since = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--since")) {
                if (i + 1 == args.length) {
                    usageError("--since needs a date, YYYY-MM-DD");
                }
                // Jackson parses the date, as it parses those of catalog.json: a bad one throws.
                since = mapper.readValue(mapper.writeValueAsString(args[++i]), LocalDate.class);
            } else if (args[i].startsWith("-")) {
                usageError("unknown option " + args[i] + "; usage: catalog [--since YYYY-MM-DD] [CATEGORY...]");
            } else {
                wanted.add(args[i]);
            }
        }

        ClassLoader loader = CatalogApp.class.getClassLoader();
        Properties settings = settings(loader);
        List<Item> all = items(mapper);
        Set<String> known = all.stream().map(Item::category).collect(Collectors.toCollection(TreeSet::new));
        for (String category : wanted) {
            if (!known.contains(category)) {
                usageError("unknown category '" + category + "'; known: " + String.join(", ", known));
            }
        }
        LocalDate from = since;
        List<Item> selected = all.stream()
                .filter(item -> wanted.isEmpty() || wanted.contains(item.category()))
                .filter(item -> from == null || !item.released().isBefore(from))
                .sorted(Comparator.comparing(Item::sku))
                .toList();
        Catalog catalog = new Catalog(settings.getProperty("catalog.title"),
                settings.getProperty("catalog.currency"), selected);

        PrintStream out = System.out;
        out.println(catalog.title() + ": " + selected.size() + " of " + all.size() + " items"
                + (wanted.isEmpty() ? "" : ", categories " + String.join(" ", wanted))
                + (since == null ? "" : ", released since " + since));
        out.println("jackson-databind " + mapper.version() + " with modules " + sorted(mapper.getRegisteredModuleIds()));
        out.println("context class loader is the application's: "
                + (Thread.currentThread().getContextClassLoader() == loader));
        out.println("class path manifests: " + manifestNames(loader));
        out.println("class path licenses: " + Collections.list(loader.getResources("META-INF/LICENSE")).size());

        List<ReportSection> sections = new ArrayList<>();
        ServiceLoader.load(ReportSection.class, loader).forEach(sections::add);
        sections.sort(Comparator.comparing(ReportSection::title));
        for (ReportSection section : sections) {
            out.println();
            out.println("== " + section.title() + " (" + section.getClass().getSimpleName() + ") ==");
            section.render(catalog).forEach(out::println);
        }
        out.println();
        out.println("== Newest item as JSON ==");
        selected.stream()
                .max(Comparator.comparing(Item::released).thenComparing(Item::sku))
                .ifPresent(item -> out.println(json(mapper, item)));
    }

    private static void usageError(String message) {
        System.err.println("catalog: " + message);
        System.exit(USAGE_ERROR);
    }

    /** Reads catalog.properties through the URL the class loader gives for it. */
    private static Properties settings(ClassLoader loader) throws IOException {
        URL url = loader.getResource("catalog.properties");
        if (url == null) {
            throw new IOException("catalog.properties is not on the class path");
        }
        Properties settings = new Properties();
        try (Reader in = new InputStreamReader(url.openStream(), StandardCharsets.UTF_8)) {
            settings.load(in);
        }
        return settings;
    }

    private static List<Item> items(ObjectMapper mapper) throws IOException {
        try (InputStream in = CatalogApp.class.getResourceAsStream("catalog.json")) {
            if (in == null) {
                throw new IOException("catalog.json is not on the class path beside " + CatalogApp.class.getName());
            }
            return mapper.readValue(in, new TypeReference<List<Item>>() { });
        }
    }

    /**
     * The Bundle-SymbolicName (else Implementation-Title) of every manifest on the class path, sorted.
     * Each URL is turned into text and back before it is opened, as libraries that keep URLs as
     * strings do.
     */
    private static List<String> manifestNames(ClassLoader loader) throws IOException {
        List<String> names = new ArrayList<>();
        for (URL url : Collections.list(loader.getResources("META-INF/MANIFEST.MF"))) {
            try (InputStream in = new URL(url.toExternalForm()).openStream()) {
                var attributes = new Manifest(in).getMainAttributes();
                String name = attributes.getValue("Bundle-SymbolicName");
                if (name == null) {
                    name = attributes.getValue("Implementation-Title");
                }
                names.add(name == null ? "(unnamed)" : name.split(";", 2)[0].trim());
            }
        }
        Collections.sort(names);
        return names;
    }

    private static List<String> sorted(Set<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().toList();
    }

    private static String json(ObjectMapper mapper, Item item) {
        try {
            return mapper.writeValueAsString(item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
