package dev.hermetic.loader.compile;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * Serves javac the archive as its class path and source path, and catches its output in memory.
 * Platform classes (and {@code --release}'s {@code ct.sym}) come from the standard file manager, whose
 * own class path is emptied so that nothing of the host's {@code java.class.path} leaks in.
 *
 * <p>One instance per compile; not thread-safe (javac is not either).
 */
final class ArchiveFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Archive archive;
    private final ArchiveClassPath classPath;
    /** The module being compiled: its own (possibly stale) caches and source are hidden; -1 for none. */
    private final int self;
    private final Charset charset;
    private final Map<String, byte[]> output;

    /**
     * @param output receives the class files, by class-path name ({@code com/example/Main$1.class})
     */
    ArchiveFileManager(StandardJavaFileManager standard, Archive archive, ArchiveClassPath classPath, int self,
                       Charset charset, Map<String, byte[]> output) throws IOException {
        super(standard);
        standard.setLocation(StandardLocation.CLASS_PATH, List.of());
        this.archive = archive;
        this.classPath = classPath;
        this.self = self;
        this.charset = charset;
        this.output = output;
    }

    @Override
    public boolean hasLocation(Location location) {
        return location == StandardLocation.CLASS_PATH || location == StandardLocation.SOURCE_PATH
                || location == StandardLocation.CLASS_OUTPUT || super.hasLocation(location);
    }

    @Override
    public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds,
                                         boolean recurse) throws IOException {
        boolean classes = location == StandardLocation.CLASS_PATH && kinds.contains(JavaFileObject.Kind.CLASS);
        boolean sources = location == StandardLocation.SOURCE_PATH && kinds.contains(JavaFileObject.Kind.SOURCE);
        if (location != StandardLocation.CLASS_PATH && location != StandardLocation.SOURCE_PATH) {
            return super.list(location, packageName, kinds, recurse);
        }
        List<JavaFileObject> files = new ArrayList<>();
        String path = packageName.replace('.', '/');
        if (recurse) {
            for (String p : classPath.packages()) {
                if (p.equals(path) || path.isEmpty() || p.startsWith(path + "/")) {
                    add(files, p, classes, sources);
                }
            }
        } else {
            add(files, path, classes, sources);
        }
        return files;
    }

    private void add(List<JavaFileObject> files, String packagePath, boolean classes, boolean sources) {
        if (classes) {
            for (IndexedEntry entry : classPath.classes(packagePath)) {
                if (entry.module() != self || self < 0) {
                    files.add(new ClassFile(archive, entry));
                }
            }
        }
        if (sources) {
            for (Module module : classPath.sources(packagePath)) {
                if (module.id() != self) {
                    files.add(new ArchiveSource(archive, module, charset));
                }
            }
        }
    }

    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        if (file instanceof Named) {
            return ((Named) file).binaryName();
        }
        return super.inferBinaryName(location, file);
    }

    @Override
    public JavaFileObject getJavaFileForInput(Location location, String className, JavaFileObject.Kind kind)
            throws IOException {
        if (location == StandardLocation.CLASS_PATH) {
            IndexedEntry entry = kind == JavaFileObject.Kind.CLASS ? classPath.classNamed(className) : null;
            return entry == null || (self >= 0 && entry.module() == self) ? null : new ClassFile(archive, entry);
        }
        if (location == StandardLocation.SOURCE_PATH) {
            Module module = kind == JavaFileObject.Kind.SOURCE ? classPath.sourceNamed(className) : null;
            return module == null || module.id() == self ? null : new ArchiveSource(archive, module, charset);
        }
        return super.getJavaFileForInput(location, className, kind);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                               FileObject sibling) throws IOException {
        if (kind != JavaFileObject.Kind.CLASS) {
            throw new IOException("cannot write " + className + kind.extension + ": only class files are kept");
        }
        return new OutputClass(className.replace('.', '/') + kind.extension, output);
    }

    @Override
    public FileObject getFileForOutput(Location location, String packageName, String relativeName,
                                       FileObject sibling) throws IOException {
        throw new IOException("cannot write " + relativeName + ": only class files are kept");
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        if (a instanceof SimpleJavaFileObject || b instanceof SimpleJavaFileObject) {
            return a.toUri().equals(b.toUri());
        }
        return super.isSameFile(a, b);
    }

    @Override
    public boolean contains(Location location, FileObject file) throws IOException {
        if (file instanceof ClassFile) {
            return location == StandardLocation.CLASS_PATH;
        }
        if (file instanceof ArchiveSource) {
            return location == StandardLocation.SOURCE_PATH;
        }
        if (file instanceof Named) {
            return false;
        }
        return super.contains(location, file);
    }

    /** Our own file objects, which know their binary name. */
    interface Named {
        String binaryName();
    }

    private static URI uri(String scheme, String path) {
        try {
            return new URI(scheme, null, "/" + path, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(path, e);
        }
    }

    /** A class file of the archive's class path, read from the archive when javac opens it. */
    static final class ClassFile extends SimpleJavaFileObject implements Named {
        private final Archive archive;
        private final IndexedEntry entry;

        ClassFile(Archive archive, IndexedEntry entry) {
            super(uri("hermetic-class", entry.container() + "/" + entry.name()), Kind.CLASS);
            this.archive = archive;
            this.entry = entry;
        }

        @Override
        public String binaryName() {
            return ArchiveClassPath.binaryName(entry.name(), ".class");
        }

        @Override
        public InputStream openInputStream() throws IOException {
            return new ByteArrayInputStream(archive.read(entry));
        }

        @Override
        public String getName() {
            return archive.describe(entry);
        }
    }

    /** A source, decoded strictly: a byte sequence that is not valid in the charset is an error. */
    abstract static class Source extends SimpleJavaFileObject implements Named {
        private final String name;
        private final Charset charset;

        Source(String name, Charset charset) {
            super(uri("hermetic-source", name), Kind.SOURCE);
            this.name = name;
            this.charset = charset;
        }

        abstract byte[] bytes() throws IOException;

        @Override
        public String binaryName() {
            return ArchiveClassPath.binaryName(name, ".java");
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) throws IOException {
            return decode(name, bytes(), charset);
        }

        @Override
        public InputStream openInputStream() throws IOException {
            return new ByteArrayInputStream(bytes());
        }
    }

    /**
     * @throws IOException naming the source, the charset and the offset of the first byte that is not
     *                     valid in it
     */
    static String decode(String name, byte[] bytes, Charset charset) throws IOException {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8L,
                (long) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 1));
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IOException(name + " is not valid " + charset.name() + ": byte offset " + in.position());
        }
        return out.flip().toString();
    }

    /** A source the caller passes in, decoded already: the compilation unit. */
    static final class GivenSource extends Source {
        private final byte[] bytes;
        private final String text;

        GivenSource(String name, byte[] bytes, String text, Charset charset) {
            super(name, charset);
            this.bytes = bytes;
            this.text = text;
        }

        @Override
        byte[] bytes() {
            return bytes;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    /** The source of an uncached module, read from the archive when javac opens it. */
    static final class ArchiveSource extends Source {
        private final Archive archive;
        private final Module module;

        ArchiveSource(Archive archive, Module module, Charset charset) {
            super(module.source(), charset);
            this.archive = archive;
            this.module = module;
        }

        @Override
        byte[] bytes() throws IOException {
            byte[] bytes = archive.readSource(module);
            if (bytes == null) {
                throw new IOException(module.source() + " is no longer in " + archive.path());
            }
            return bytes;
        }
    }

    /** A class file javac writes, kept in {@code output} when javac closes it. */
    static final class OutputClass extends SimpleJavaFileObject {
        private final String name;
        private final Map<String, byte[]> output;

        OutputClass(String name, Map<String, byte[]> output) {
            super(uri("hermetic-output", name), Kind.CLASS);
            this.name = name;
            this.output = output;
        }

        @Override
        public OutputStream openOutputStream() {
            return new ByteArrayOutputStream() {
                @Override
                public void close() {
                    output.put(name, toByteArray());
                }
            };
        }
    }
}
