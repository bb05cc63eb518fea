package dev.hermetic.loader;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexedEntry;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Path;

/**
 * The {@code hermetic:} URL scheme for nested jars and their entries:
 * {@code hermetic:/srv/app.jar!/HERMETIC-INF/lib/dep.jar!/org/dep/res.txt} for an entry, and
 * {@code hermetic:/srv/app.jar!/HERMETIC-INF/lib/dep.jar} for the nested jar itself, the location of its
 * code source (opening it streams the jar's bytes). The path is the archive's absolute path (as in its
 * {@code file:} URI, with {@code !} escaped as {@code %21}), then the nested jar's entry, then the name,
 * each percent-encoded as UTF-8 and joined by {@code !/}.
 *
 * <p>The path starts with {@code /}, so for {@link URI} these URLs are <em>hierarchical</em>:
 * {@code URI.resolve("other.xsl")} and {@code new URL(url, "other.xsl")} both give the sibling entry in
 * the same nested jar, as code that resolves relative references (XML catalogs, XSLT imports, template
 * loaders) expects. They differ only for a reference that starts with {@code /}: the handler resolves it
 * from the nested jar's root, as the JDK's {@code jar:} handler does, while {@code URI} replaces the
 * whole path (it knows nothing of {@code !/}). {@code ..} segments stop at the nested jar's root.
 *
 * <p>Why not {@code jar:}: the JDK's {@code jar:} handler cannot be replaced by a
 * {@link java.net.spi.URLStreamHandlerProvider} (the JDK never asks providers for {@code jar}); replacing
 * it at all takes {@code java.protocol.handler.pkgs} and clearing the JDK's handler cache, for every
 * {@code jar:} URL of the JVM, which a library loader used by plugin hosts must not do. Left to the JDK,
 * {@code jar:hermetic:...!/name} would copy each nested jar to a temporary file, and {@code jar:} URLs are
 * opaque to {@link URI}, so relative references would not resolve. The cost: code that casts a nested
 * entry's connection to {@link java.net.JarURLConnection} does not work (application entries keep their
 * {@code jar:file:} URLs).
 */
final class HermeticUrls {
    static final String PROTOCOL = "hermetic";
    static final URLStreamHandler HANDLER = new Handler();
    private static final String SEPARATOR = "!/";

    private HermeticUrls() {
    }

    /** @param path the URL after {@code hermetic:}, its names already percent-encoded */
    static URL create(String path) throws MalformedURLException {
        return new URL(null, PROTOCOL + ":" + path, HANDLER);
    }

    /** @return the archive's absolute path as {@code hermetic:} URLs hold it: percent-encoded, {@code !} escaped */
    static String encodeArchivePath(Path archive) {
        String raw = archive.toAbsolutePath().toUri().getRawPath();
        if (raw.length() > 1 && raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        return raw.replace("!", "%21");
    }

    private static final class Handler extends URLStreamHandler {
        /**
         * An absolute spec ({@code hermetic:/...}) is the path; a relative one resolves against the base:
         * {@code /x} from the nested jar's root, {@code x} beside the base's name, {@code .} and
         * {@code ..} segments removed but never above the nested jar's root.
         */
        @Override
        protected void parseURL(URL url, String spec, int start, int limit) {
            String part = spec.substring(start, limit);
            int query = part.indexOf('?');
            if (query >= 0) {
                part = part.substring(0, query);
            }
            boolean absolute = start >= PROTOCOL.length() + 1
                    && spec.regionMatches(true, start - PROTOCOL.length() - 1, PROTOCOL + ":", 0, PROTOCOL.length() + 1);
            String path;
            if (absolute || url.getPath() == null || url.getPath().isEmpty()) {
                path = part.startsWith("file:") ? part.substring("file:".length()) : part;
            } else {
                String base = url.getPath();
                int outer = base.indexOf(SEPARATOR);
                int inner = outer < 0 ? -1 : base.indexOf(SEPARATOR, outer + SEPARATOR.length());
                int root = inner >= 0 ? inner + 1 : -1;
                if (part.isEmpty()) {
                    path = base;
                } else if (part.startsWith("/")) {
                    path = root >= 0 ? base.substring(0, root) + part : part;
                } else {
                    path = base.substring(0, base.lastIndexOf('/') + 1) + part;
                }
                if (root >= 0 && path.startsWith(base.substring(0, root))) {
                    path = base.substring(0, root) + removeDots(path.substring(root));
                }
            }
            setURL(url, PROTOCOL, "", -1, null, null, path, null, null);
        }

        @Override
        protected URLConnection openConnection(URL url) {
            return new Connection(url);
        }
    }

    /** Removes {@code .} and {@code ..} segments from a path starting with {@code /}; {@code ..} stops at the root. */
    static String removeDots(String path) {
        if (!path.contains("/.")) {
            return path;
        }
        String[] segments = path.substring(1).split("/", -1);
        java.util.ArrayList<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".")) {
                if (last) {
                    kept.add("");
                }
            } else if (segment.equals("..")) {
                if (!kept.isEmpty()) {
                    kept.remove(kept.size() - 1);
                }
                if (last) {
                    kept.add("");
                }
            } else {
                kept.add(segment);
            }
        }
        return "/" + String.join("/", kept);
    }

    private static final class Connection extends URLConnection {
        private byte[] bytes;
        private String name;
        private Path archivePath;
        private Container container;

        Connection(URL url) {
            super(url);
        }

        @Override
        public void connect() throws IOException {
            if (connected) {
                return;
            }
            String file = url.getPath();
            int outerEnd = file.indexOf(SEPARATOR);
            if (outerEnd < 0 || !file.startsWith("/")) {
                throw new MalformedURLException("not a hermetic URL (needs hermetic:/ARCHIVE!/JAR[!/NAME]): " + url);
            }
            int nestedEnd = file.indexOf(SEPARATOR, outerEnd + SEPARATOR.length());
            String nested = UrlPaths.decode(file.substring(outerEnd + SEPARATOR.length(),
                    nestedEnd < 0 ? file.length() : nestedEnd));
            name = nestedEnd < 0 ? "" : UrlPaths.decode(file.substring(nestedEnd + SEPARATOR.length()));
            try {
                archivePath = Path.of(new URI("file:" + file.substring(0, outerEnd)));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new MalformedURLException("not a hermetic URL (bad archive path): " + url);
            }
            Archive held = OpenArchives.find(archivePath);
            Archive archive = held != null ? held : Archive.open(archivePath);
            try {
                for (Container c : archive.containers()) {
                    if (c.nested() && c.entry().equals(nested)) {
                        container = c;
                    }
                }
                if (container == null) {
                    throw new FileNotFoundException(url + ": " + archivePath + " has no nested jar " + nested);
                }
                if (!name.isEmpty()) {
                    bytes = read(archive, name);
                }
            } finally {
                if (held == null) {
                    archive.close();
                }
            }
            connected = true;
        }

        private byte[] read(Archive archive, String name) throws IOException {
            for (IndexedEntry entry : archive.findAll(name)) {
                if (entry.container() == container.id()) {
                    return archive.read(entry);
                }
            }
            throw new FileNotFoundException(url + ": " + container.entry() + " in " + archivePath + " has no entry " + name);
        }

        @Override
        public InputStream getInputStream() throws IOException {
            connect();
            if (bytes != null) {
                return new java.io.ByteArrayInputStream(bytes);
            }
            // the nested jar itself: a stream with a file handle of its own, independent of the archive
            Archive held = OpenArchives.find(archivePath);
            Archive archive = held != null ? held : Archive.open(archivePath);
            try {
                return archive.open(container);
            } finally {
                if (held == null) {
                    archive.close();
                }
            }
        }

        /** As the JDK's {@code jar:} connections: guessed from the name, else {@code content/unknown}. */
        @Override
        public String getContentType() {
            try {
                connect();
            } catch (IOException e) {
                return "content/unknown";
            }
            String type = name.isEmpty() ? "application/java-archive" : guessContentTypeFromName(name);
            return type == null ? "content/unknown" : type;
        }

        @Override
        public long getContentLengthLong() {
            try {
                connect();
                return bytes == null ? container.size() : bytes.length;
            } catch (IOException e) {
                return -1;
            }
        }
    }
}
