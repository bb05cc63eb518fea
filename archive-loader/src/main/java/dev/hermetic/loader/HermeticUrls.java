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
 * The {@code hermetic:} URL scheme for entries of nested jars:
 * {@code hermetic:file:/srv/app.jar!/HERMETIC-INF/lib/dep.jar!/org/dep/res.txt}, shaped like
 * {@code jar:} URLs with one more level. The empty inner name ({@code ...dep.jar!/}) denotes the
 * nested jar itself, the location of its code source; opening it streams the jar's bytes.
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

    private static final class Handler extends URLStreamHandler {
        /** The whole scheme-specific part is the path; a relative spec resolves against the inner name. */
        @Override
        protected void parseURL(URL url, String spec, int start, int limit) {
            String part = spec.substring(start, limit);
            String path;
            if (part.startsWith("file:")) {
                path = part;
            } else {
                String base = url.getFile() == null ? "" : url.getFile();
                int innerRoot = base.lastIndexOf(SEPARATOR);
                if (innerRoot < 0) {
                    throw new IllegalArgumentException("not a hermetic URL: " + spec);
                }
                path = part.startsWith("/") ? base.substring(0, innerRoot + 1) + part
                        : base.substring(0, base.lastIndexOf('/') + 1) + part;
            }
            setURL(url, PROTOCOL, "", -1, null, null, path, null, null);
        }

        @Override
        protected URLConnection openConnection(URL url) {
            return new Connection(url);
        }
    }

    private static final class Connection extends URLConnection {
        private byte[] bytes;
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
            String file = url.getFile();
            int outerEnd = file.indexOf(SEPARATOR);
            int nestedEnd = outerEnd < 0 ? -1 : file.indexOf(SEPARATOR, outerEnd + SEPARATOR.length());
            if (nestedEnd < 0) {
                throw new MalformedURLException("not a hermetic URL (needs file:ARCHIVE!/JAR!/NAME): " + url);
            }
            String nested = UrlPaths.decode(file.substring(outerEnd + SEPARATOR.length(), nestedEnd));
            String name = UrlPaths.decode(file.substring(nestedEnd + SEPARATOR.length()));
            try {
                archivePath = Path.of(new URI(file.substring(0, outerEnd)));
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
