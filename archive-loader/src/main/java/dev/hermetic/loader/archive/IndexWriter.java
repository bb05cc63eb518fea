package dev.hermetic.loader.archive;

import static dev.hermetic.loader.archive.IndexLayout.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Builds the index of an archive (its layout is described in {@code IndexLayout}) and the archive's
 * seal. This is the packer's side of the format; the loader's side is {@link Archive}.
 *
 * <p>Output depends only on what was added, never on the order of {@link #add(IndexedEntry)} calls
 * across names: names are sorted, and each name's locations keep container order. Not thread-safe.
 */
public final class IndexWriter {
    /** The length of every seal, the archive comment that {@link #seal} returns. */
    public static final int SEAL_LENGTH = Seal.LENGTH;

    private final String mainClass;
    private final List<Container> containers = new ArrayList<>();
    private final List<Module> modules = new ArrayList<>();
    /**
     * In the order added, sorted once by {@link #toBytes}: names come mostly in runs already sorted (a jar's
     * entries), which the sort merges in linear time, cheaper than keeping ten thousand names sorted.
     */
    private final Map<String, Name> names = new LinkedHashMap<>();
    private final Map<Integer, byte[]> containerDigests = new TreeMap<>();

    /** What was added under one name. */
    private static final class Name {
        final String name;
        /** In container order, whatever the order they were added in. */
        final List<IndexedEntry> locations = new ArrayList<>(1);
        /** The SHA-256 of the application's entry, or null. */
        byte[] digest;
        /** The module it was {@linkplain #declare declared} to, or -1. */
        int declared = -1;
        /** Its first location's index in the location section, assigned by {@link #toBytes}. */
        int firstLocation;

        Name(String name) {
            this.name = name;
        }

        boolean hasApplicationLocation() {
            return !locations.isEmpty() && locations.get(0).container() == 0;
        }
    }

    /** @param mainClass the application's entry point, as a binary name */
    public IndexWriter(String mainClass) {
        this.mainClass = mainClass;
    }

    /**
     * Adds the next class-path container; ids must come in order, starting with the application's.
     *
     * @throws IllegalArgumentException when the id is not the next one
     */
    public IndexWriter add(Container container) {
        if (container.id() != containers.size()) {
            throw new IllegalArgumentException("container " + container.entry() + " has id "
                    + container.id() + ", expected " + containers.size());
        }
        containers.add(container);
        return this;
    }

    /**
     * Adds the next class-path container with the SHA-256 of its bytes (a nested jar whole), which
     * {@code -Dhermetic.verify=digest} checks on the first read from the jar. An index gets the digest
     * section when digests are given for every nested jar and every application entry.
     *
     * @throws IllegalArgumentException when the id is not the next one, the container is the
     *                                  application's, or the digest is not 32 bytes
     */
    public IndexWriter add(Container container, byte[] sha256) {
        if (!container.nested()) {
            throw new IllegalArgumentException("the application's classes have no digest of their own");
        }
        checkDigest(container.entry(), sha256);
        add(container);
        containerDigests.put(container.id(), sha256.clone());
        return this;
    }

    /**
     * Adds an application class or resource with the SHA-256 of its inflated bytes, which
     * {@code -Dhermetic.verify=digest} checks on every read.
     *
     * @throws IllegalArgumentException as {@link #add(IndexedEntry)}, or when the entry is not the
     *                                  application's or the digest is not 32 bytes
     */
    public IndexWriter add(IndexedEntry entry, byte[] sha256) {
        if (entry.container() != 0) {
            throw new IllegalArgumentException(entry.name() + ": digests are given per nested jar, not per entry");
        }
        checkDigest(entry.name(), sha256);
        add(entry);
        names.get(entry.name()).digest = sha256.clone();
        return this;
    }

    private static void checkDigest(String name, byte[] sha256) {
        if (sha256 == null || sha256.length != DIGEST_SIZE) {
            throw new IllegalArgumentException(name + ": a SHA-256 has " + DIGEST_SIZE + " bytes, not "
                    + (sha256 == null ? "none" : sha256.length));
        }
    }

    /**
     * Adds the next module; ids must come in order.
     *
     * @throws IllegalArgumentException when the id is not the next one
     */
    public IndexWriter add(Module module) {
        if (module.id() != modules.size()) {
            throw new IllegalArgumentException("module " + module.source() + " has id " + module.id()
                    + ", expected " + modules.size());
        }
        modules.add(module);
        return this;
    }

    /**
     * Adds a class or resource.
     *
     * @throws IllegalArgumentException when its container or module is unknown, it does not fit the
     *                                  format (entries over 4 GiB), or its container already has it
     */
    public IndexWriter add(IndexedEntry entry) {
        if (entry.container() < 0 || entry.container() >= containers.size()) {
            throw new IllegalArgumentException(entry.name() + ": unknown container " + entry.container());
        }
        if (entry.module() < -1 || entry.module() >= modules.size()) {
            throw new IllegalArgumentException(entry.name() + ": unknown module " + entry.module());
        }
        if (entry.size() > 0xFFFF_FFFFL || entry.compressedSize() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(entry.name() + ": entries over 4 GiB are not supported");
        }
        List<IndexedEntry> same = names.computeIfAbsent(entry.name(), Name::new).locations;
        int at = same.size();
        for (int i = same.size() - 1; i >= 0; i--) {
            int other = same.get(i).container();
            if (other == entry.container()) {
                throw new IllegalArgumentException(entry.name() + " is twice in "
                        + containers.get(entry.container()).entry());
            }
            if (other > entry.container()) {
                at = i;
            }
        }
        same.add(at, entry);
        return this;
    }

    /**
     * Declares that a name belongs to a module without giving it a location: a module's source name
     * ({@code com/example/Main.java}), so the loader finds the source of a class whose cache is
     * missing, or the name of a class the module compiles to but whose cache is not shipped.
     *
     * @throws IllegalArgumentException when the module is unknown or the name is declared twice
     */
    public IndexWriter declare(String name, int module) {
        if (module < 0 || module >= modules.size()) {
            throw new IllegalArgumentException(name + ": unknown module " + module);
        }
        Name named = names.computeIfAbsent(name, Name::new);
        if (named.declared >= 0) {
            throw new IllegalArgumentException(name + " is declared twice, for modules " + named.declared + " and " + module);
        }
        named.declared = module;
        return this;
    }

    /**
     * @return the index bytes
     * @throws IllegalStateException when digests were given for some nested jars or application entries
     *                               but not for all
     */
    public byte[] toBytes() {
        Name[] sorted = names.values().toArray(new Name[0]);
        Arrays.sort(sorted, (a, b) -> a.name.compareTo(b.name));
        boolean digests = digests(sorted);
        Strings strings = new Strings();
        int nameCount = sorted.length;
        int locationCount = 0;
        for (Name named : sorted) {
            locationCount += named.locations.size();
        }
        int slotCount = slotCount(nameCount);

        // the body's sections at offsets relative to the body, which starts after the page table
        int containersAt = 0;
        int modulesAt = containersAt + containers.size() * CONTAINER_SIZE;
        int namesAt = modulesAt + modules.size() * MODULE_SIZE;
        int locationsAt = namesAt + nameCount * NAME_SIZE;
        int slotsAt = locationsAt + locationCount * LOCATION_SIZE;
        int stringsAt = slotsAt + slotCount * SLOT_SIZE;
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        ByteBuffer body = ByteBuffer.allocate(stringsAt);
        strings.putAt(header, H_MAIN_CLASS, mainClass);
        boolean[] versioned = versionedContainers(sorted);

        body.position(containersAt);
        for (Container c : containers) {
            strings.put(body, c.entry());
            body.putShort((short) (versioned[c.id()] ? CONTAINER_VERSIONED : 0)).putLong(c.offset()).putLong(c.size());
        }
        for (Module m : modules) {
            strings.put(body, m.source());
            body.put((byte) m.mode().ordinal()).put((byte) 0).putLong(m.sourceOffset())
                    .put(m.sourceSha256()).putLong(m.sourceSize()).putLong(m.sourceTime())
                    .putShort((short) m.classVersion()).putShort((short) m.release());
            strings.put(body, m.compilerOptions());
            body.put(new byte[6]);
        }
        // location groups: the application's names first, so that their locations have the lowest indexes
        int assigned = 0;
        int digestedLocations = 0;
        for (boolean application : new boolean[] {true, false}) {
            for (Name named : sorted) {
                if (application == named.hasApplicationLocation()) {
                    named.firstLocation = assigned;
                    assigned += named.locations.size();
                }
            }
            if (application) {
                digestedLocations = assigned; // the digest section covers the groups of the application's names
            }
        }
        ByteBuffer digestSection = ByteBuffer.allocate(digests ? (containers.size() + digestedLocations) * DIGEST_SIZE : 0);
        if (digests) {
            for (Map.Entry<Integer, byte[]> d : containerDigests.entrySet()) {
                digestSection.put(d.getKey() * DIGEST_SIZE, d.getValue());
            }
        }
        // which slots are taken: probing the body's slot section instead would read it back from memory
        boolean[] taken = new boolean[slotCount];
        int mask = slotCount - 1;
        for (int nameId = 0; nameId < nameCount; nameId++) {
            Name named = sorted[nameId];
            List<IndexedEntry> locations = named.locations;
            int location = named.firstLocation;
            body.position(namesAt + nameId * NAME_SIZE);
            strings.put(body, named.name);
            body.putShort((short) locations.size()).putInt(location)
                    .putInt(named.declared >= 0 ? named.declared : moduleOf(locations));
            body.position(locationsAt + location * LOCATION_SIZE);
            for (IndexedEntry e : locations) {
                body.putLong(e.dataOffset()).putInt((int) e.compressedSize()).putInt((int) e.size())
                        .putInt(e.crc32()).putShort((short) e.container()).put((byte) e.method())
                        .put((byte) 0);
            }
            if (digests && named.hasApplicationLocation()) {
                digestSection.put((containers.size() + location) * DIGEST_SIZE, named.digest);
            }
            int hash = hash(named.name);
            int slot = hash & mask;
            while (taken[slot]) {
                slot = (slot + 1) & mask;
            }
            taken[slot] = true;
            body.putInt(slotsAt + slot * SLOT_SIZE, hash).putInt(slotsAt + slot * SLOT_SIZE + 4, nameId + 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(stringsAt + strings.size() + digestSection.capacity());
        out.write(body.array(), 0, stringsAt);
        strings.writeTo(out);
        out.write(digestSection.array(), 0, digestSection.capacity());
        byte[] bodyBytes = out.toByteArray();

        int pages = (bodyBytes.length + PAGE_SIZE - 1) / PAGE_SIZE;
        int start = bodyStart(pages);
        header.putInt(0, MAGIC).putShort(H_VERSION, (short) VERSION).put(H_SOURCE_HASH, (byte) SOURCE_HASH_SHA256)
                .put(H_FLAGS, (byte) (digests ? FLAG_DIGESTS : 0))
                .putInt(H_CONTAINERS, containers.size()).putInt(H_MODULES, modules.size())
                .putInt(H_NAMES, nameCount).putInt(H_LOCATIONS, locationCount).putInt(H_SLOTS, slotCount)
                .putInt(H_CONTAINERS_AT, start + containersAt).putInt(H_MODULES_AT, start + modulesAt)
                .putInt(H_NAMES_AT, start + namesAt).putInt(H_LOCATIONS_AT, start + locationsAt)
                .putInt(H_SLOTS_AT, start + slotsAt).putInt(H_STRINGS_AT, start + stringsAt)
                .putInt(H_STRINGS_LENGTH, strings.size()).putInt(H_PAGES, pages).putInt(H_PAGE_SIZE, PAGE_SIZE);
        ByteBuffer index = ByteBuffer.allocate(start + bodyBytes.length).put(header.array()).position(start);
        index.put(bodyBytes);
        CRC32 crc = new CRC32();
        for (int page = 0; page < pages; page++) {
            crc.reset();
            crc.update(bodyBytes, page * PAGE_SIZE, Math.min(PAGE_SIZE, bodyBytes.length - page * PAGE_SIZE));
            index.putInt(HEADER_SIZE + page * PAGE_CRC_SIZE, (int) crc.getValue());
        }
        index.putInt(H_CRC, headerCrc(index.array(), pages));
        return index.array();
    }

    /** Per container: whether it has entries under {@code META-INF/versions/}, so may be a multi-release jar. */
    private boolean[] versionedContainers(Name[] sorted) {
        boolean[] versioned = new boolean[containers.size()];
        for (Name named : sorted) {
            if (named.name.startsWith(ArchiveLayout.VERSIONS)) {
                for (IndexedEntry e : named.locations) {
                    versioned[e.container()] = true;
                }
            }
        }
        return versioned;
    }

    /** @return whether the digest section is to be written: digests were given, and for everything */
    private boolean digests(Name[] sorted) {
        Name undigested = null;
        boolean given = !containerDigests.isEmpty();
        for (Name named : sorted) {
            if (named.digest != null) {
                given = true;
            } else if (undigested == null && named.hasApplicationLocation()) {
                undigested = named;
            }
        }
        if (!given) {
            return false;
        }
        for (Container c : containers) {
            if (c.nested() && !containerDigests.containsKey(c.id())) {
                throw new IllegalStateException("digests were given, but none for nested jar " + c.entry());
            }
        }
        if (undigested != null) {
            throw new IllegalStateException("digests were given, but none for application entry " + undigested.name);
        }
        return true;
    }

    /** The module of a name is the one its application cache names; libraries have none. */
    private static int moduleOf(List<IndexedEntry> locations) {
        return !locations.isEmpty() && locations.get(0).container() == 0 ? locations.get(0).module() : -1;
    }

    /**
     * The seal of an archive: the archive comment that binds the index's trust flags to the archive as
     * packed, with the index's location and SHA-256, and the central directory's location, size and
     * CRC-32. Any later edit of the archive by a zip tool changes the central directory, and the loader
     * then no longer honours the trust flags.
     *
     * @param indexOffset   where the index entry's bytes start
     * @param index         the index entry's bytes
     * @param centralOffset where the central directory starts
     * @param centralSize   the central directory's size
     * @param centralCrc32  the CRC-32 of the central directory's bytes
     * @return the comment: {@link #SEAL_LENGTH} ASCII characters
     */
    public static String seal(long indexOffset, byte[] index, long centralOffset, long centralSize, int centralCrc32) {
        return new Seal(indexOffset, index.length, centralOffset, centralSize, centralCrc32, Sha256.of(index)).toComment();
    }

    /** The string section: UTF-8 bytes appended in order of use, referenced by offset and length. */
    private static final class Strings {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void put(ByteBuffer target, String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xFFFF) {
                throw new IllegalArgumentException("name longer than 65535 bytes: " + value.substring(0, 64));
            }
            target.putInt(bytes.size()).putShort((short) utf8.length);
            bytes.writeBytes(utf8);
        }

        /** Writes a reference with a u32 length at a fixed position, as the header's main class. */
        void putAt(ByteBuffer target, int at, String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            target.putInt(at, bytes.size()).putInt(at + 4, utf8.length);
            bytes.writeBytes(utf8);
        }

        int size() {
            return bytes.size();
        }

        void writeTo(ByteArrayOutputStream out) {
            out.writeBytes(bytes.toByteArray());
        }
    }
}
