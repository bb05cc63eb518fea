package dev.hermetic.loader.archive;

import static dev.hermetic.loader.archive.IndexLayout.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an index (see {@link IndexLayout}) in place: opening checks the header, the page table and the
 * section bounds, then builds nothing; each lookup decodes only the records it touches, reading and
 * checking their pages at first use ({@link IndexBytes}).
 */
final class IndexReader {
    private final Path file;
    private final IndexBytes bytes;
    private final int containers;
    private final int modules;
    private final int names;
    private final int slotMask;
    private final int containersAt;
    private final int modulesAt;
    private final int namesAt;
    private final int locationsAt;
    private final int slotsAt;
    private final int stringsAt;
    private final int stringsLength;
    private final int locations;
    /** Where the digest section starts, or -1 when the index has none. */
    private final int digestsAt;
    /** How many locations the digest section covers. */
    private final int digestedLocations;

    /** An index in memory: an edited or exploded archive's. */
    IndexReader(Path file, byte[] index) throws ArchiveFormatException {
        this(file, IndexBytes.of(file, index));
    }

    IndexReader(Path file, IndexBytes bytes) throws ArchiveFormatException {
        this.file = file;
        this.bytes = bytes;
        if (bytes.headerByte(H_SOURCE_HASH) != SOURCE_HASH_SHA256) {
            throw error("source hash algorithm " + bytes.headerByte(H_SOURCE_HASH)
                    + " is not supported; this loader knows 1 (SHA-256)");
        }
        containers = count(H_CONTAINERS);
        modules = count(H_MODULES);
        names = count(H_NAMES);
        locations = count(H_LOCATIONS);
        int slots = count(H_SLOTS);
        if (Integer.bitCount(slots) != 1 || slots < 2L * names) {
            throw error("index hash table of " + slots + " slots cannot hold " + names + " names");
        }
        slotMask = slots - 1;
        containersAt = section(H_CONTAINERS_AT, containers, CONTAINER_SIZE);
        modulesAt = section(H_MODULES_AT, modules, MODULE_SIZE);
        namesAt = section(H_NAMES_AT, names, NAME_SIZE);
        locationsAt = section(H_LOCATIONS_AT, locations, LOCATION_SIZE);
        slotsAt = section(H_SLOTS_AT, slots, SLOT_SIZE);
        stringsAt = count(H_STRINGS_AT);
        stringsLength = count(H_STRINGS_LENGTH);
        int flags = Byte.toUnsignedInt(bytes.headerByte(H_FLAGS));
        if ((flags & ~FLAG_DIGESTS) != 0) {
            throw error("index header flags " + Integer.toHexString(flags) + " are not supported; this loader knows 1 (digests)");
        }
        long stringsEnd = (long) stringsAt + stringsLength;
        if (stringsAt < bytes.bodyStart() || stringsEnd > bytes.length()) {
            throw error("index string section of " + stringsLength + " bytes at offset " + stringsAt
                    + " lies outside the index of " + bytes.length() + " bytes");
        }
        long digestLength = bytes.length() - stringsEnd;
        if ((flags & FLAG_DIGESTS) == 0) {
            if (digestLength != 0) {
                throw error("index string section does not end the index");
            }
            digestsAt = -1;
            digestedLocations = 0;
        } else {
            long covered = digestLength / DIGEST_SIZE - containers;
            if (digestLength % DIGEST_SIZE != 0 || covered < 0 || covered > locations) {
                throw error("index digest section of " + digestLength + " bytes does not hold " + DIGEST_SIZE
                        + "-byte digests for " + containers + " containers and at most " + locations + " locations");
            }
            digestsAt = (int) stringsEnd;
            digestedLocations = (int) covered;
        }
        if (containers == 0) {
            throw error("index has no application container");
        }
    }

    private int count(int field) throws ArchiveFormatException {
        int value = bytes.headerInt(field);
        if (value < 0) {
            throw error("index header field at offset " + field + " is negative: " + value);
        }
        return value;
    }

    private int section(int field, int count, int recordSize) throws ArchiveFormatException {
        int at = count(field);
        if (at < bytes.bodyStart() || (long) at + (long) count * recordSize > bytes.length()) {
            throw error("index section at offset " + at + " with " + count + " records of " + recordSize
                    + " bytes lies outside the body of the index (" + bytes.bodyStart() + " to " + bytes.length() + ")");
        }
        return at;
    }

    private ArchiveFormatException error(String what) {
        return new ArchiveFormatException(file, ArchiveLayout.INDEX + ": " + what);
    }

    Path file() {
        return file;
    }

    /** @return whether the index has the digest section */
    boolean hasDigests() {
        return digestsAt >= 0;
    }

    /** @return the SHA-256 of a nested jar's bytes, or null when the index has no digests */
    byte[] containerDigest(int id) throws IOException {
        if (digestsAt < 0) {
            return null;
        }
        if (id <= 0 || id >= containers) {
            throw new IllegalArgumentException("no nested container " + id);
        }
        return bytes.get(digestsAt + id * DIGEST_SIZE, DIGEST_SIZE);
    }

    /**
     * @return the SHA-256 of the application's entry of this name (one hash probe), or null when the
     *         index has no digests or the application has no entry of that name
     */
    byte[] applicationDigest(String name) throws IOException {
        if (digestsAt < 0) {
            return null;
        }
        int id = find(name);
        if (id < 0 || locationCount(id) == 0) {
            return null;
        }
        int location = bytes.getInt(nameRecord(id) + 8);
        if (location < 0 || location >= locations
                || bytes.getUnsignedShort(locationsAt + location * LOCATION_SIZE + 20) != 0) {
            return null;
        }
        if (location >= digestedLocations) {
            throw error(name + ": application location " + location + " has no digest (the digest section covers "
                    + digestedLocations + ")");
        }
        return bytes.get(digestsAt + (containers + location) * DIGEST_SIZE, DIGEST_SIZE);
    }

    int containerCount() {
        return containers;
    }

    int moduleCount() {
        return modules;
    }

    int nameCount() {
        return names;
    }

    int locationCount() {
        return locations;
    }

    int size() {
        return bytes.length();
    }

    String mainClass() throws IOException {
        return string(bytes.headerInt(H_MAIN_CLASS), bytes.headerInt(H_MAIN_CLASS + 4));
    }

    /** @return the id of the name, or -1 when the archive does not have it */
    int find(String name) throws IOException {
        int hash = hash(name);
        for (int slot = hash & slotMask, probes = 0; probes <= slotMask; slot = (slot + 1) & slotMask, probes++) {
            int at = slotsAt + slot * SLOT_SIZE;
            int id = bytes.getInt(at + 4) - 1;
            if (id < 0) {
                return -1;
            }
            if (id >= names) {
                throw error("hash slot " + slot + " names name " + id + " of " + names);
            }
            if (bytes.getInt(at) == hash && nameEquals(id, name)) {
                return id;
            }
        }
        return -1;
    }

    String name(int id) throws IOException {
        int at = nameRecord(id);
        return string(bytes.getInt(at), bytes.getUnsignedShort(at + 4));
    }

    int locationCount(int id) throws IOException {
        return bytes.getUnsignedShort(nameRecord(id) + 6);
    }

    int module(int nameId) throws IOException {
        int module = bytes.getInt(nameRecord(nameId) + 12);
        if (module < -1 || module >= modules) {
            throw error("name " + nameId + " names module " + module + " of " + modules);
        }
        return module;
    }

    /** One of a name's entries, for a caller that found the id by its name: the name is not decoded again. */
    IndexedEntry entry(int nameId, int which, String name) throws IOException {
        int record = nameRecord(nameId);
        int location = bytes.getInt(record + 8) + which;
        if (which < 0 || which >= bytes.getUnsignedShort(record + 6) || location < 0
                || location >= locations) {
            throw error("location " + which + " of name " + nameId + " is outside the location table");
        }
        int at = locationsAt + location * LOCATION_SIZE;
        int container = bytes.getUnsignedShort(at + 20);
        if (container >= containers) {
            throw error("location " + location + " names container " + container + " of " + containers);
        }
        return new IndexedEntry(name, container, bytes.getLong(at),
                Byte.toUnsignedInt(bytes.get(at + 22)), Integer.toUnsignedLong(bytes.getInt(at + 8)),
                Integer.toUnsignedLong(bytes.getInt(at + 12)), bytes.getInt(at + 16),
                container == 0 ? bytes.getInt(record + 12) : -1);
    }

    /** @return a name's entries in class-path order */
    List<IndexedEntry> entries(int nameId) throws IOException {
        return entries(nameId, name(nameId));
    }

    /** The same, for a caller that found the id by its name. */
    List<IndexedEntry> entries(int nameId, String name) throws IOException {
        int count = locationCount(nameId);
        List<IndexedEntry> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(entry(nameId, i, name));
        }
        return all;
    }

    /** @return the containers as packed */
    Container[] containers() throws IOException {
        Container[] all = new Container[containers];
        for (int i = 0; i < all.length; i++) {
            all[i] = container(i);
        }
        return all;
    }

    /** @return the header's checksum, which identifies the index's content */
    int checksum() {
        return bytes.checksum();
    }

    /** @return whether a container has entries under {@code META-INF/versions/} (may be a multi-release jar) */
    boolean versioned(int id) throws IOException {
        if (id < 0 || id >= containers) {
            throw new IllegalArgumentException("no container " + id);
        }
        return (bytes.getUnsignedShort(containersAt + id * CONTAINER_SIZE + 6) & CONTAINER_VERSIONED) != 0;
    }

    Container container(int id) throws IOException {
        if (id < 0 || id >= containers) {
            throw new IllegalArgumentException("no container " + id);
        }
        int at = containersAt + id * CONTAINER_SIZE;
        return new Container(id, string(bytes.getInt(at), bytes.getUnsignedShort(at + 4)),
                bytes.getLong(at + 8), bytes.getLong(at + 16));
    }

    Module moduleRecord(int id) throws IOException {
        if (id < 0 || id >= modules) {
            throw new IllegalArgumentException("no module " + id);
        }
        int at = modulesAt + id * MODULE_SIZE;
        int modeCode = bytes.get(at + 6);
        ValidationMode[] modes = ValidationMode.values();
        if (modeCode < 0 || modeCode >= modes.length) {
            throw error("module " + id + " has unknown validation mode " + modeCode);
        }
        byte[] sha = bytes.get(at + 16, Module.HASH_LENGTH);
        return new Module(id, string(bytes.getInt(at), bytes.getUnsignedShort(at + 4)),
                bytes.getLong(at + 8), modes[modeCode], sha, bytes.getLong(at + 48), bytes.getLong(at + 56),
                bytes.getUnsignedShort(at + 64), bytes.getUnsignedShort(at + 66),
                string(bytes.getInt(at + 68), bytes.getUnsignedShort(at + 72)));
    }

    private int nameRecord(int id) {
        if (id < 0 || id >= names) {
            throw new IllegalArgumentException("no name " + id);
        }
        return namesAt + id * NAME_SIZE;
    }

    private String string(int offset, int length) throws IOException {
        checkString(offset, length);
        return bytes.utf8(stringsAt + offset, length);
    }

    private void checkString(int offset, int length) throws ArchiveFormatException {
        if (offset < 0 || length < 0 || (long) offset + length > stringsLength) {
            throw error("string of " + length + " bytes at offset " + offset + " lies outside the string section");
        }
    }

    private boolean nameEquals(int id, String name) throws IOException {
        int at = nameRecord(id);
        int offset = bytes.getInt(at);
        int length = bytes.getUnsignedShort(at + 4);
        checkString(offset, length);
        return bytes.equalsUtf8(stringsAt + offset, length, name);
    }
}
