package dev.hermetic.packer;

import dev.hermetic.loader.HermeticUrlStreamHandlerProvider;
import dev.hermetic.loader.Launcher;
import dev.hermetic.loader.LauncherClassTable;
import dev.hermetic.loader.archive.ArchiveLayout;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The archive-loader classes that go to every archive's root, read from wherever this packer loaded
 * them: the archive-loader jar, the packer's own executable jar (shaded, or a Hermetic archive that
 * nests the archive-loader jar: read through its URL), or a classes directory in a build.
 */
final class LoaderRuntime {
    private static final String PACKAGE = Launcher.class.getPackageName().replace('.', '/') + "/";
    private static final String PROVIDER_SERVICE = "META-INF/services/java.net.spi.URLStreamHandlerProvider";

    /** Read at the first pack: they are this packer's own classes, which do not change while it runs. */
    private static List<InputFile> cached;
    private static byte[] launcherClasses;

    private LoaderRuntime() {
    }

    /**
     * Costs: the first call lists the jar (or directory) they come from and reads them; later calls in the
     * same JVM reuse them.
     *
     * @return the launcher's class files and its service registration, in name order
     */
    static synchronized List<InputFile> files() throws IOException {
        if (cached == null) {
            cached = read();
        }
        return cached;
    }

    /**
     * @param all whether the root holds every class ({@link PackOptions#launcherAtRoot()})
     * @return what goes to the archive's root, in name order: every file, or the launcher's front
     *         ({@link ArchiveLayout#LAUNCHER_FRONT}) and the service registration
     */
    static List<InputFile> rootFiles(boolean all) throws IOException {
        if (all) {
            return files();
        }
        List<InputFile> front = new ArrayList<>();
        for (InputFile file : files()) {
            if (ArchiveLayout.LAUNCHER_FRONT.contains(file.name()) || file.name().equals(PROVIDER_SERVICE)) {
                front.add(file);
            }
        }
        if (front.size() != ArchiveLayout.LAUNCHER_FRONT.size() + 1) {
            throw new IllegalStateException("the archive-loader classes in " + files().get(0).origin()
                    + " lack some of " + ArchiveLayout.LAUNCHER_FRONT);
        }
        return front;
    }

    /**
     * @return the {@link ArchiveLayout#LAUNCHER_CLASSES} of these classes, all of them, from which
     *         a launch defines them without the application class loader
     * @throws IllegalStateException naming where the classes come from when they make no table (a name
     *         that is not ASCII, more than 65,535 classes)
     */
    static synchronized byte[] launcherClasses() throws IOException {
        if (launcherClasses == null) {
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (InputFile file : files()) {
                classes.put(file.name(), file.read());
            }
            try {
                launcherClasses = LauncherClassTable.write(classes);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot write " + ArchiveLayout.LAUNCHER_CLASSES
                        + " of the archive-loader classes in " + files().get(0).origin() + ": " + e.getMessage(), e);
            }
        }
        return launcherClasses;
    }

    private static List<InputFile> read() throws IOException {
        URL url;
        Path location;
        try {
            url = Launcher.class.getProtectionDomain().getCodeSource().getLocation();
            location = "file".equals(url.getProtocol()) ? Path.of(url.toURI()) : null;
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate the archive-loader classes", e);
        }
        List<InputFile> files = new ArrayList<>();
        if (location == null) {
            // A jar nested in an archive (this packer packed by itself): read it as the stream its URL opens.
            location = Path.of(url.getPath().isEmpty() ? "archive-loader" : url.getPath().replaceAll(".*/", ""));
            try (ZipInputStream jar = new ZipInputStream(url.openStream())) {
                for (ZipEntry entry; (entry = jar.getNextEntry()) != null; ) {
                    if (entry.getName().startsWith(PACKAGE) && entry.getName().endsWith(".class")) {
                        files.add(InputFile.of(entry.getName(), jar.readAllBytes(), location));
                    }
                }
            }
        } else if (Files.isDirectory(location)) {
            for (InputTrees.Node node : InputTrees.walk(location)) {
                if (node.name().startsWith(PACKAGE) && node.name().endsWith(".class")) {
                    files.add(InputFile.of(node.name(), Files.readAllBytes(node.path()), location));
                }
            }
        } else {
            try (ZipFile jar = new ZipFile(location.toFile())) {
                for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    if (entry.getName().startsWith(PACKAGE) && entry.getName().endsWith(".class")) {
                        try (var in = jar.getInputStream(entry)) {
                            files.add(InputFile.of(entry.getName(), in.readAllBytes(), location));
                        }
                    }
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no archive-loader classes in " + location);
        }
        files.add(InputFile.of(PROVIDER_SERVICE,
                (HermeticUrlStreamHandlerProvider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8), location));
        files.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(files);
    }
}
