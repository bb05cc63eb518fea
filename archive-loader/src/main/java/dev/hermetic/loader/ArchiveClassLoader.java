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
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * {@code jar:file:} scheme; those of nested jars use {@code hermetic:} ({@link HermeticUrls}), whose
 * handler is registered with the JDK as a {@link java.net.spi.URLStreamHandlerProvider} service.
 *
 * <p>What a class path of jars gives, nested jars included: multi-release jars serve their versioned
 * entries ({@link ClassPathLookup}); packages carry the attributes of their jar's manifest and sealed
 * packages are enforced as the JDK's class path loader enforces them; each nested jar is a
 * {@link CodeSource} of its own whose location ({@code hermetic:/ARCHIVE!/HERMETIC-INF/lib/x.jar})
 * opens as the jar's bytes; signed jars are verified and their signers exposed ({@link JarSignatures});
 * native libraries in the archive are found by {@code System.loadLibrary} ({@link NativeLibraries}).
 *
 * <p>Plugin hosts may open several archives side by side, each loader isolated from the others.
 */
public final class ArchiveClassLoader extends ClassLoader implements Closeable {
    static {
        registerAsParallelCapable();
    }

    private final Archive archive;
    private final ModuleValidator modules;
    private final ClassPathLookup lookup;
    /** The archive's URL: the application's code source, and the base of its resources' URLs. */
    private final URL location;
    private final String archiveUrl;
    /**
     * The archive's path as {@code hermetic:} URLs spell it (absolute, percent-encoded, {@code !} escaped);
     * made at the first nested URL, when the archive is also registered with {@link OpenArchives}.
     */
    private volatile String hermeticPath;
    /** Per container: the domain of its classes; of a signed jar, the domain of its signed classes. */
    private final ProtectionDomain[] domains;
    /** Per container: the domain of a signed jar's unsigned classes. */
    private final ProtectionDomain[] unsignedDomains;
    /** Made at the first class of a nested jar: an archive without nested jars never loads the class. */
    private volatile JarSignatures[] signatures;
    private volatile boolean closed;
    /**
     * Whether the parent is the platform class loader and nothing was appended to the boot class path:
     * then only the boot layer's packages can come from the parent ({@link #loadClass}).
     */
    private final boolean platformParent;
    /** Per package: the module of the boot layer that has it, else this loader's unnamed module. */
    private final ConcurrentHashMap<String, Module> parentPackages = new ConcurrentHashMap<>();
    /** Under {@code -Dhermetic.preload.record} or {@code -Dhermetic.train}: the classes defined, in order; else null. */
    private final Queue<Class<?>> defined;

    private ArchiveClassLoader(Archive archive, URL location, ClassLoader parent, LoaderSettings settings)
            throws IOException {
        super(parent);
        this.archive = archive;
        this.modules = new ModuleValidator(archive, settings);
        this.lookup = new ClassPathLookup(archive);
        this.location = location != null ? location : archive.path().toUri().toURL();
        this.archiveUrl = this.location.toExternalForm();
        int containers = archive.containerCount();
        String appended = System.getProperty("jdk.boot.class.path.append");
        this.platformParent = parent == getPlatformClassLoader() && (appended == null || appended.isEmpty());
        this.domains = new ProtectionDomain[containers];
        this.unsignedDomains = new ProtectionDomain[containers];
        // no lambda here: its bootstrap would cost every launch milliseconds
        this.defined = settings.preloadRecord().isPresent() || settings.train() ? new ConcurrentLinkedQueue<>() : null;
        if (settings.preloadRecord().isPresent()) {
            Preloader.record(settings.preloadRecord().get(), defined);
        }
        if (settings.train()) {
            CacheTraining.linkAtExit(defined);
        }
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
     * with its trust flags not honoured: a warning says so once, on stderr, when the edit is found (at
     * open, or at the first module whose trust depends on the central directory's checksum). An
     * application with a preload list has its classes defined ahead on a thread of their own
     * ({@link Preloader}) unless the settings say otherwise.
     *
     * @param parent   the loader to delegate to first
     * @param settings how to validate and recompile
     * @throws IOException when the archive cannot be read or is not a valid Hermetic archive
     */
    public static ArchiveClassLoader open(Path archive, ClassLoader parent, LoaderSettings settings) throws IOException {
        return open(archive, null, parent, Objects.requireNonNull(settings, "settings"));
    }

    /**
     * What {@link Launch} opens: an archive whose URL the JVM has already made, as the launcher's code
     * source. The launch reuses it rather than convert the path back (a {@code URI} parsed in the
     * interpreter: up to 0.8 ms before {@code main}); application classes then have the very code source
     * {@code java -cp} gives a jar's classes ({@link Path#toUri} escapes a non-ASCII name's bytes in upper
     * case, the JDK's class path in lower case).
     *
     * @param location the archive's URL, or null to make it from {@code archive}
     * @param settings the settings, or null for those of the system properties read once the archive is
     *                 open: the launch's second thread parses the environment meanwhile (the JDK parses
     *                 all of it at the first {@code getenv}), which the launch would otherwise wait for
     */
    static ArchiveClassLoader open(Path archive, URL location, ClassLoader parent, LoaderSettings settings)
            throws IOException {
        Archive opened = Archive.open(archive, settings != null ? settings.verify() : LoaderSettings.verifyFromSystem());
        try {
            LoaderSettings used = settings != null ? settings : LoaderSettings.fromSystem();
            ArchiveClassLoader loader = new ArchiveClassLoader(opened, location, parent, used);
            // the constant is inlined: an application without a list never loads the preloader; a run
            // recording a list preloads nothing, so that the list keeps the application's own order
            IndexedEntry list = used.preload() && used.preloadRecord().isEmpty()
                    ? opened.find(Preloader.LIST) : null;
            if (list != null) {
                Preloader.start(loader, opened, list);
            }
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
     * Loads a class parent first, as every class loader does, but without asking the parent for what it
     * cannot have: with the platform class loader as parent and nothing appended to the boot class
     * path, the parent finds only classes in packages of the boot layer's modules. For any other class
     * the parent's answer is known to be a miss, which the JDK's loaders give by throwing and catching a
     * {@link ClassNotFoundException} (a stack trace each) after three lock lookups: skipping that is
     * most of what makes defining a class here cheaper than through a plain {@code ClassLoader}. A class
     * of a module the boot loader defines is asked of the boot loader directly, as the platform class
     * loader would ask it, without its locks and look-ups in Java: what each JDK class an application
     * names costs its first time (a miss there, or a security manager denying the caller the boot loader,
     * takes the parent's way). An agent that
     * appends to the boot class path while the application runs is not seen for classes the archive has.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (platformParent) {
            Module owner = bootLayerModule(name);
            if (owner == null) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded == null) {
                        loaded = findClass(name);
                    }
                    if (resolve) {
                        resolveClass(loaded);
                    }
                    return loaded;
                }
            }
            try {
                if (owner.getClassLoader() == null) {
                    return Class.forName(name, false, null);
                }
            } catch (ClassNotFoundException | SecurityException e) {
                // a miss, or a security manager that denies code on the stack the boot loader: the
                // parent's way, which reports the one and runs privileged past the other
            }
        }
        return super.loadClass(name, resolve);
    }

    /**
     * The module of the boot layer that has the class's package, or null when none has: learnt once per
     * package (java.base asked first, then a scan of the modules).
     */
    private Module bootLayerModule(String className) {
        int dot = className.lastIndexOf('.');
        if (dot < 0) {
            return null; // no module has the unnamed package
        }
        String pkg = className.substring(0, dot);
        Module owner = parentPackages.get(pkg);
        if (owner == null) {
            owner = getUnnamedModule();
            Module base = Object.class.getModule();
            if (base.getPackages().contains(pkg)) {
                owner = base;
            } else {
                for (Module module : ModuleLayer.boot().modules()) {
                    if (module.getPackages().contains(pkg)) {
                        owner = module;
                        break;
                    }
                }
            }
            parentPackages.put(pkg, owner);
        }
        return owner == getUnnamedModule() ? null : owner;
    }

    /**
     * Defines {@link MainCallClass#NAME}, calling the {@code main} of that class, in this loader and that
     * class's protection domain: the launch's call of the application's {@code main}, once.
     *
     * @return the class, or null when this loader has a class of that name already (an application that
     *         holds archive-loader, whose jar has a class of that name, loaded it)
     */
    Class<?> defineMainCall(Class<?> declaring) {
        synchronized (getClassLoadingLock(MainCallClass.NAME)) {
            if (findLoadedClass(MainCallClass.NAME) != null) {
                return null;
            }
            byte[] bytes = MainCallClass.of(declaring);
            return defineClass(MainCallClass.NAME, bytes, 0, bytes.length, declaring.getProtectionDomain());
        }
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
        IndexedEntry served = null;
        try {
            checkOpen();
            IndexedEntry entry = lookup.find(file);
            IndexedEntry cache = entry != null && entry.container() == 0 ? entry : null;
            int module = cache != null ? cache.module() : archive.moduleOf(file);
            if (module < 0 && entry == null) {
                module = archive.moduleOf(conventionalSource(file));
            }
            bytes = module >= 0 ? modules.classBytes(module, file, cache) : null;
            if (bytes == null && entry != null && (module < 0 || cache == null)) {
                // not the application's: the first library jar that has it, as on a class path
                bytes = archive.read(entry);
                served = entry;
            }
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e.getMessage(), e);
        }
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        int container = served == null ? 0 : served.container();
        ProtectionDomain domain = container == 0 ? domain(0, null) : domain(container, signers(served, bytes));
        definePackageOf(name, container);
        Class<?> defined = defineClass(name, bytes, 0, bytes.length, domain);
        if (this.defined != null) {
            this.defined.add(defined);
        }
        return defined;
    }

    /**
     * The signers of a nested jar's entry, verifying the jar's signature at its first class.
     *
     * @throws SecurityException when the jar's signature or the entry's digest does not verify, naming
     *                           the nested jar and the archive
     */
    private CodeSigner[] signers(IndexedEntry entry, byte[] bytes) {
        int container = entry.container();
        try {
            JarSignatures[] verified = signatures;
            if (verified == null) {
                // a benign race, as below: a lost array only means a jar verified twice
                verified = new JarSignatures[archive.containerCount()];
                signatures = verified;
            }
            JarSignatures jar = verified[container];
            if (jar == null) {
                // A benign race: two threads may verify the same jar.
                jar = JarSignatures.of(archive, archive.container(container), lookup.manifest(container),
                        lookup.manifestBytes(container));
                verified[container] = jar;
            }
            return jar.signersOf(entry.name(), bytes);
        } catch (SecurityException e) {
            throw new SecurityException(archive.container(container).entry() + " in " + archive.path()
                    + " fails signature verification: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SecurityException(archive.container(container).entry() + " in " + archive.path()
                    + " cannot be verified: " + e.getMessage(), e);
        }
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
     * A package already defined is checked for sealing as the JDK checks it: a sealed package takes
     * classes from its own jar only, and a package defined unsealed cannot become sealed.
     *
     * @throws SecurityException on a sealing violation, with the JDK's message
     */
    private void definePackageOf(String className, int container) {
        int dot = className.lastIndexOf('.');
        if (dot < 0) {
            return;
        }
        String pkg = className.substring(0, dot);
        Manifest manifest = lookup.manifest(container);
        Attributes own = manifest == null ? null : manifest.getAttributes(pkg.replace('.', '/').concat("/"));
        Attributes main = manifest == null ? null : manifest.getMainAttributes();
        boolean sealed = manifest != null && "true".equalsIgnoreCase(attribute(Attributes.Name.SEALED, own, main));
        Package defined = getDefinedPackage(pkg);
        if (defined == null) {
            try {
                if (manifest == null) {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } else {
                    definePackage(pkg,
                            attribute(Attributes.Name.SPECIFICATION_TITLE, own, main),
                            attribute(Attributes.Name.SPECIFICATION_VERSION, own, main),
                            attribute(Attributes.Name.SPECIFICATION_VENDOR, own, main),
                            attribute(Attributes.Name.IMPLEMENTATION_TITLE, own, main),
                            attribute(Attributes.Name.IMPLEMENTATION_VERSION, own, main),
                            attribute(Attributes.Name.IMPLEMENTATION_VENDOR, own, main),
                            sealed ? url(container, "") : null);
                }
                return;
            } catch (IllegalArgumentException definedConcurrently) {
                // another thread defined it first: check it as any package defined before
                defined = getDefinedPackage(pkg);
            }
        }
        if (defined.isSealed()) {
            if (!defined.isSealed(url(container, ""))) {
                throw new SecurityException("sealing violation: package " + pkg + " is sealed");
            }
        } else if (sealed) {
            throw new SecurityException("sealing violation: can't seal package " + pkg + ": already loaded");
        }
    }

    private static String attribute(Attributes.Name name, Attributes own, Attributes main) {
        String value = own == null ? null : own.getValue(name);
        return value != null || main == null ? value : main.getValue(name);
    }

    /**
     * The domain of a container's classes: its code source is the container's location with the
     * classes' signers. Each jar's signed and unsigned classes have a domain each.
     */
    private ProtectionDomain domain(int container, CodeSigner[] signers) {
        ProtectionDomain[] cache = signers == null ? unsignedDomains : domains;
        ProtectionDomain domain = cache[container];
        if (domain == null) {
            // A benign race: two threads may build equal domains; either one serves.
            domain = new ProtectionDomain(new CodeSource(url(container, ""), signers), null, this, null);
            cache[container] = domain;
        }
        return domain;
    }

    @Override
    protected URL findResource(String name) {
        try {
            checkOpen();
            IndexedEntry entry = lookup.find(name);
            return entry == null ? null : url(entry.container(), entry.name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        checkOpen();
        List<URL> urls = new ArrayList<>();
        for (IndexedEntry entry : lookup.findAll(name)) {
            urls.add(url(entry.container(), entry.name()));
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
            IndexedEntry entry = lookup.find(name);
            return entry == null ? null : archive.open(entry);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Finds a native library packed in the archive, {@link System#mapLibraryName} of the name (such as
     * {@code libNAME.so}) at the root of the application or of a nested jar, the first in class-path
     * order, and extracts it once ({@link NativeLibraries}).
     *
     * @return its absolute file name, or null when the archive has none
     * @throws UnsatisfiedLinkError when it cannot be extracted
     */
    @Override
    protected String findLibrary(String libname) {
        String fileName = System.mapLibraryName(libname);
        try {
            checkOpen();
            IndexedEntry entry = lookup.find(fileName);
            if (entry == null || entry.directory()) {
                return null;
            }
            return NativeLibraries.extract(NativeLibraries.directory(), fileName, archive.read(entry)).toString();
        } catch (IOException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot extract native library " + fileName
                    + " from " + archive.path() + " to " + NativeLibraries.directory() + ": " + e);
            error.initCause(e);
            throw error;
        }
    }

    /**
     * The URL of a name in a container; the empty name gives the container itself, the location of its
     * code source: the archive file for application classes, a {@code hermetic:} URL naming the nested
     * jar (without {@code !/}, so that its path ends in the jar's file name, as a {@code file:} URL's).
     */
    private URL url(int containerId, String name) {
        Container container = archive.container(containerId);
        // the empty name (a code source) needs no encoding: the application's is the archive file itself
        String encoded = name.isEmpty() ? "" : UrlPaths.encode(name);
        try {
            if (container.nested()) {
                if (hermeticPath == null) {
                    // not in the constructor: an archive without nested jars never loads the URL classes;
                    // registered from the first URL handed out on, which then reads through this open file
                    OpenArchives.register(archive);
                    hermeticPath = HermeticUrls.encodeArchivePath(archive.path());
                }
                String jar = hermeticPath + "!/" + UrlPaths.encode(container.entry());
                return HermeticUrls.create(name.isEmpty() ? jar : jar + "!/" + encoded);
            }
            if (archive.exploded()) {
                return new URL(archiveUrl + ArchiveLayout.CLASSES + encoded);
            }
            return name.isEmpty() ? location : new URL("jar:" + archiveUrl + "!/" + ArchiveLayout.CLASSES + encoded);
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
            if (hermeticPath != null) {
                OpenArchives.unregister(archive);
            }
            archive.close();
        }
    }
}
