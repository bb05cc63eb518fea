package dev.hermetic.packer;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * The application's class path (the {@code --app} jars and class directories) merged into one tree.
 * A class in two inputs is an error, since which one runs would depend on the order of the options;
 * for other files the first input wins, as on a class path.
 *
 * <p>Costs: opening lists the inputs (a jar's central directory, a directory's tree) and reads no
 * file; each file is read (and inflated) when the pack prepares it, on any thread. The jars stay open
 * until {@link #close()}.
 */
final class AppInputs implements Closeable {
    private final Map<String, InputFile> files = new TreeMap<>();
    private final List<JarFile> jars = new ArrayList<>();
    private Manifest firstJarManifest;

    static AppInputs open(Collection<Path> apps) throws IOException {
        AppInputs inputs = new AppInputs();
        try {
            for (Path app : apps) {
                InputTrees.requireExists(app, "--app");
                if (Files.isDirectory(app)) {
                    for (InputTrees.Node node : InputTrees.walk(app)) {
                        inputs.add(InputFile.of(node, app));
                    }
                } else {
                    inputs.openJar(app);
                }
            }
            return inputs;
        } catch (IOException | RuntimeException e) {
            inputs.close();
            throw e;
        }
    }

    private void openJar(Path jar) throws IOException {
        JarFile file;
        try {
            file = new JarFile(jar.toFile(), false);
        } catch (ZipException e) {
            throw new PackException(jar, "--app: not a jar or directory (" + e.getMessage() + ")", e);
        }
        jars.add(file);
        if (firstJarManifest == null) {
            try {
                firstJarManifest = file.getManifest();
            } catch (IOException e) {
                // a jar whose manifest entry is corrupt: named as any unreadable entry is
                throw InputFile.unreadable(jar, JarFile.MANIFEST_NAME, e);
            }
        }
        for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            add(new InputFile(entry.getName(), entry.getSize(), jar, () -> read(file, entry)));
        }
    }

    /**
     * Reads an entry whole; into an array of the size its central directory declares, when that is right.
     * A corrupt entry fails as any unreadable input file does ({@link InputFile#read}), naming the entry.
     */
    private static byte[] read(JarFile file, JarEntry entry) throws IOException {
        try (InputStream in = file.getInputStream(entry)) {
            long declared = entry.getSize();
            if (declared < 0 || declared >= Integer.MAX_VALUE) {
                return in.readAllBytes();
            }
            byte[] bytes = in.readNBytes((int) declared);
            int more = in.read();
            if (more < 0) {
                return bytes;
            }
            ByteArrayOutputStream longer = new ByteArrayOutputStream();
            longer.writeBytes(bytes);
            longer.write(more);
            in.transferTo(longer);
            return longer.toByteArray();
        }
    }

    void add(InputFile file) throws PackException {
        InputFile earlier = files.putIfAbsent(file.name(), file);
        if (earlier != null && file.isClass() && earlier.origin() != file.origin()) {
            throw new PackException(file.origin(), "class " + file.name() + " is also in " + earlier.origin()
                    + "; an application class may come from one --app input only");
        }
    }

    /** @return the files by name, in name order */
    Map<String, InputFile> files() {
        return files;
    }

    /** @return the manifest of the first {@code --app} jar, if it has one */
    Optional<Manifest> firstJarManifest() {
        return Optional.ofNullable(firstJarManifest);
    }

    @Override
    public void close() throws IOException {
        for (JarFile jar : jars) {
            jar.close();
        }
    }
}
