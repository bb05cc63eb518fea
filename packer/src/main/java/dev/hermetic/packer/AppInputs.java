package dev.hermetic.packer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Enumeration;
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
 */
final class AppInputs {
    private final Map<String, InputFile> files = new TreeMap<>();
    private Manifest firstJarManifest;

    static AppInputs read(Collection<Path> apps) throws IOException {
        AppInputs inputs = new AppInputs();
        for (Path app : apps) {
            InputTrees.requireExists(app, "--app");
            if (Files.isDirectory(app)) {
                for (InputTrees.Node node : InputTrees.walk(app)) {
                    inputs.add(new InputFile(node.name(), node.isDirectory() ? new byte[0] : Files.readAllBytes(node.path()), app));
                }
            } else {
                inputs.readJar(app);
            }
        }
        return inputs;
    }

    private void readJar(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            if (firstJarManifest == null) {
                firstJarManifest = file.getManifest();
            }
            for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                byte[] bytes;
                try (var in = file.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                add(new InputFile(entry.getName(), bytes, jar));
            }
        } catch (ZipException e) {
            throw new PackException(jar, "--app: not a jar or directory (" + e.getMessage() + ")");
        }
    }

    void add(InputFile file) throws PackException {
        InputFile earlier = files.putIfAbsent(file.name(), file);
        if (earlier != null && file.isClass() && earlier.origin() != file.origin()) {
            throw new PackException(file.origin(), "class " + file.name() + " is also in " + earlier.origin()
                    + "; an application class may come from one --app input only");
        }
    }

    Collection<InputFile> files() {
        return files.values();
    }

    boolean has(String name) {
        return files.containsKey(name);
    }

    /** @return the manifest of the first {@code --app} jar, if it has one */
    Optional<Manifest> firstJarManifest() {
        return Optional.ofNullable(firstJarManifest);
    }
}
