package dev.hermetic.loader;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Serves the classes and resources of one Hermetic archive, its nested jars included, straight from
 * the archive file: no extraction, no temporary files, no per-class search through jars. Parallel
 * capable; closable, after which it serves nothing more.
 *
 * <p>Costs: {@link #open} is {@link Archive#open}'s (a few reads, nothing per entry). A class costs one
 * hash probe in the index and one positional read (plus inflating, for compressed entries of nested
 * jars); a miss costs the probe alone. Resource URLs of application entries use the JDK's
 * {@code jar:file:} scheme; those of nested jars use {@code hermetic:}, whose handler is registered
 * with the JDK as a {@link java.net.spi.URLStreamHandlerProvider} service.
 *
 * <p>Plugin hosts may open several archives side by side, each loader isolated from the others.
 */
public final class ArchiveClassLoader extends ClassLoader implements Closeable {
    static {
        registerAsParallelCapable();
    }

    private static final String MANIFEST = "META-INF/MANIFEST.MF";
    /** Marks a container known to have no (readable) manifest. */
    private static final Manifest NO_MANIFEST = new Manifest();

    private final Archive archive;
    private final ModuleValidator modules;
    private final String archiveUrl;
    private final ProtectionDomain[] domains;
    private final Manifest[] manifests;
    private volatile boolean closed;

    private ArchiveClassLoader(Archive archive, ClassLoader parent, LoaderSettings settings) throws IOException {
        super(parent);
        this.archive = archive;
        this.modules = new ModuleValidator(archive, settings);
        this.archiveUrl = archive.path().toUri().toURL().toExternalForm();
        this.domains = new ProtectionDomain[archive.containers().size()];
        this.manifests = new Manifest[archive.containers().size()];
    }

    /**
     * Opens an archive (or an exploded archive directory) with the platform class loader as parent, as
     * {@code java -jar} would, and the settings of the {@code hermetic.*} system properties.
     *
     * @throws IOException              when the archive cannot be read or is not a valid Hermetic archive
     * @throws IllegalArgumentException when a {@code hermetic.*} property has a value not allowed
     */
    public static ArchiveClassLoader open(Path archive) throws IOException {
        return open(archive, getPlatformClassLoader());
    }

    /**
     * Opens an archive (or an exploded archive directory) with the settings of the {@code hermetic.*}
     * system properties.
     *
     * @param parent the loader to delegate to first
     * @throws IOException              when the archive cannot be read or is not a valid Hermetic archive
     * @throws IllegalArgumentException when a {@code hermetic.*} property has a value not allowed
     */
    public static ArchiveClassLoader open(Path archive, ClassLoader parent) throws IOException {
        return open(archive, parent, LoaderSettings.fromSystem());
    }

    /**
     * Opens an archive (or an exploded archive directory). An archive edited after packing is served
     * with its trust flags not honoured: a warning says so once, on stderr.
     *
     * @param parent   the loader to delegate to first
     * @param settings how to validate and recompile
     * @throws IOException when the archive cannot be read or is not a valid Hermetic archive
     */
    public static ArchiveClassLoader open(Path archive, ClassLoader parent, LoaderSettings settings) throws IOException {
        Archive opened = Archive.open(archive);
        try {
            ArchiveClassLoader loader = new ArchiveClassLoader(opened, parent, settings);
            if (!opened.trustBound()) {
                // check=never trusts every module, edited archive or not: say so rather than "checking"
                ModuleValidator.warn(archive + " was modified after packing (its central directory no longer"
                        + " matches the seal): " + (settings.check() == LoaderSettings.Check.NEVER
                        ? "check=never serves its caches unchecked" : "trust flags are not honoured, checking instead"));
            }
            OpenArchives.register(opened);
            return loader;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** @return the application's entry point recorded in the archive */
    public String mainClass() {
        return archive.mainClass();
    }

    /** @return the archive file */
    public Path path() {
        return archive.path();
    }

    /**
     * Finds a class: its cache, served as its module's validation mode allows, or its module recompiled;
     * a class of a library jar as it is. A class with no cache whose module the archive knows (its
     * source {@code a/b/C.java} for {@code a.b.C} and {@code a.b.C$D}, as javac finds sources) is
     * compiled from that source.
     *
     * @throws LinkageError when the class's module is stale and cannot be recompiled
     */
    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String file = name.replace('.', '/').concat(".class");
        byte[] bytes;
        int container = 0;
        try {
            checkOpen();
            IndexedEntry entry = archive.find(file);
            IndexedEntry cache = entry != null && entry.container() == 0 ? entry : null;
            int module = cache != null ? cache.module() : archive.moduleOf(file);
            if (module < 0 && entry == null) {
                module = archive.moduleOf(conventionalSource(file));
            }
            bytes = module >= 0 ? modules.classBytes(module, file, cache) : null;
            if (bytes == null && entry != null && (module < 0 || cache == null)) {
                // not the application's: the first library jar that has it, as on a class path
                bytes = archive.read(entry);
                container = entry.container();
            }
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e.getMessage(), e);
        }
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        definePackageOf(name, container);
        return defineClass(name, bytes, 0, bytes.length, domain(container));
    }

    /** {@code a/b/C$D.class} to {@code a/b/C.java}: the source javac would look for. */
    private static String conventionalSource(String file) {
        int slash = file.lastIndexOf('/');
        int nested = file.indexOf('$', slash + 1);
        return file.substring(0, nested > 0 ? nested : file.length() - ".class".length()).concat(".java");
    }

    /**
     * Defines the class's package as the JDK's class path loader would: with the specification,
     * implementation and sealing attributes of the manifest of the jar the class comes from (the
     * package's own section first, then the main attributes), or none when that jar has no manifest.
     */
    private void definePackageOf(String className, int container) {
        int dot = className.lastIndexOf('.');
        if (dot < 0) {
            return;
        }
        String pkg = className.substring(0, dot);
        if (getDefinedPackage(pkg) == null) {
            Manifest manifest = manifest(container);
            try {
                if (manifest == null) {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } else {
                    Attributes own = manifest.getAttributes(pkg.replace('.', '/').concat("/"));
                    Attributes main = manifest.getMainAttributes();
                    String sealed = attribute(Attributes.Name.SEALED, own, main);
                    definePackage(pkg,
                            attribute(Attributes.Name.SPECIFICATION_TITLE, own, main),
                            attribute(Attributes.Name.SPECIFICATION_VERSION, own, main),
                            attribute(Attributes.Name.SPECIFICATION_VENDOR, own, main),
                            attribute(Attributes.Name.IMPLEMENTATION_TITLE, own, main),
                            attribute(Attributes.Name.IMPLEMENTATION_VERSION, own, main),
                            attribute(Attributes.Name.IMPLEMENTATION_VENDOR, own, main),
                            "true".equalsIgnoreCase(sealed) ? url(container, "") : null);
                }
            } catch (IllegalArgumentException definedConcurrently) {
                // another thread defined it first: the one package is what we wanted
            }
        }
    }

    private static String attribute(Attributes.Name name, Attributes own, Attributes main) {
        String value = own == null ? null : own.getValue(name);
        return value != null ? value : main.getValue(name);
    }

    /** The manifest of a container, read once; null when it has none or it cannot be read. */
    private Manifest manifest(int container) {
        Manifest manifest = manifests[container];
        if (manifest == null) {
            // A benign race, as for the domains: two threads may read equal manifests.
            manifest = NO_MANIFEST;
            try {
                for (IndexedEntry entry : archive.findAll(MANIFEST)) {
                    if (entry.container() == container) {
                        try (InputStream in = archive.open(entry)) {
                            manifest = new Manifest(in);
                        }
                        break;
                    }
                }
            } catch (IOException unreadable) {
                // an unreadable manifest costs the package its attributes, not the class its loading
            }
            manifests[container] = manifest;
        }
        return manifest == NO_MANIFEST ? null : manifest;
    }

    private ProtectionDomain domain(int container) {
        ProtectionDomain domain = domains[container];
        if (domain == null) {
            // A benign race: two threads may build equal domains; either one serves.
            URL location = url(container, "");
            domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
            domains[container] = domain;
        }
        return domain;
    }

    @Override
    protected URL findResource(String name) {
        try {
            checkOpen();
            IndexedEntry entry = archive.find(name);
            return entry == null ? null : url(entry.container(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        checkOpen();
        List<URL> urls = new ArrayList<>();
        for (IndexedEntry entry : archive.findAll(name)) {
            urls.add(url(entry.container(), name));
        }
        return Collections.enumeration(urls);
    }

    /** Reads the bytes directly, without building and opening a URL, when the parent has none. */
    @Override
    public InputStream getResourceAsStream(String name) {
        URL fromParent = getParent() == null ? null : getParent().getResource(name);
        try {
            if (fromParent != null) {
                return fromParent.openStream();
            }
            checkOpen();
            IndexedEntry entry = archive.find(name);
            return entry == null ? null : archive.open(entry);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The URL of a name in a container; the empty name gives the container itself, the location of its
     * code source: the archive file for application classes, a {@code hermetic:} URL for a nested jar.
     */
    private URL url(int containerId, String name) {
        Container container = archive.container(containerId);
        String encoded = UrlPaths.encode(name);
        try {
            if (container.nested()) {
                return HermeticUrls.create(archiveUrl + "!/" + UrlPaths.encode(container.entry()) + "!/" + encoded);
            }
            if (archive.exploded()) {
                return new URL(archiveUrl + ArchiveLayout.CLASSES + encoded);
            }
            return new URL(name.isEmpty() ? archiveUrl : "jar:" + archiveUrl + "!/" + ArchiveLayout.CLASSES + encoded);
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot form a URL for " + name + " in " + archive.path(), e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("class loader of " + archive.path() + " is closed");
        }
    }

    /** Closes the archive; classes already defined stay usable, nothing more is served. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            OpenArchives.unregister(archive);
            archive.close();
        }
    }
}
