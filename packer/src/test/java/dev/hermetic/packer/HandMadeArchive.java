package dev.hermetic.packer;

import static dev.hermetic.packer.TestFixtures.sha256;

import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.Container;
import dev.hermetic.loader.archive.IndexWriter;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.archive.ValidationMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * Archives made by hand for tests, to record what no honest pack records (a source hash that is not the
 * shipped source's, a source time other than the entry time, another compiler release, options that
 * could run code, unsafe entry names): written entry by entry with the packer's own {@link ArchiveWriter}
 * (so the zip structure is the packer's) and indexed with the loader's {@link IndexWriter}, then sealed
 * as the packer seals. Each module has one source and at most one cache.
 */
final class HandMadeArchive {
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<Source> sources = new ArrayList<>();
    private final Map<String, byte[]> extraEntries = new LinkedHashMap<>();
    private Instant timestamp = PackOptions.DEFAULT_TIMESTAMP;

    private record Source(String name, byte[] shipped, byte[] recorded, ValidationMode mode, long sourceTime,
                          int release, String options, String cacheName, byte[] cache) {
    }

    /** Adds a main attribute to the manifest. */
    HandMadeArchive attribute(String name, String value) {
        attributes.put(name, value);
        return this;
    }

    /** The time of every entry. */
    HandMadeArchive timestamp(Instant timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    /**
     * Adds a module: its source {@code name} ships {@code shipped}, while the index records the SHA-256 and
     * size of {@code recorded}, the mode, source time, release and options; its cache {@code cacheName}
     * (under {@code HERMETIC-INF/classes/}) holds {@code cache}, when not null.
     */
    HandMadeArchive module(String name, byte[] shipped, byte[] recorded, ValidationMode mode, long sourceTime,
                           int release, String options, String cacheName, byte[] cache) {
        sources.add(new Source(name, shipped, recorded, mode, sourceTime, release, options, cacheName, cache));
        return this;
    }

    /** Adds an entry that is in the zip only, under any name. */
    HandMadeArchive entry(String name, byte[] bytes) {
        extraEntries.put(name, bytes);
        return this;
    }

    Path write(Path file) throws IOException {
        IndexWriter index = new IndexWriter("com.example.Main");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach((k, v) -> manifest.getMainAttributes().put(new Attributes.Name(k), v));
        ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
        manifest.write(manifestBytes);
        try (ArchiveWriter zip = new ArchiveWriter(file, timestamp)) {
            zip.write("META-INF/MANIFEST.MF", manifestBytes.toByteArray());
            for (Map.Entry<String, byte[]> e : extraEntries.entrySet()) {
                zip.write(e.getKey(), e.getValue());
            }
            index.add(new Container(0, ArchiveLayout.CLASSES, 0, 0));
            for (int id = 0; id < sources.size(); id++) {
                Source s = sources.get(id);
                long offset = zip.write(ArchiveLayout.SOURCES + s.name(), s.shipped()).offset();
                index.add(new Module(id, s.name(), offset, s.mode(), sha256(s.recorded()), s.recorded().length,
                        s.sourceTime(), s.cache() == null ? 0 : 61, s.release(), s.options()));
                index.declare(s.name(), id);
            }
            for (int id = 0; id < sources.size(); id++) {
                Source s = sources.get(id);
                if (s.cache() != null) {
                    ArchiveWriter.Written w = zip.write(ArchiveLayout.CLASSES + s.cacheName(), s.cache());
                    index.add(new IndexedEntry(s.cacheName(), 0, w.offset(), ZipEntry.STORED, w.size(), w.size(),
                            w.crc32(), id));
                }
            }
            byte[] indexBytes = index.toBytes();
            zip.finish(zip.write(ArchiveLayout.INDEX, indexBytes).offset(), indexBytes);
        }
        return file;
    }
}
