package dev.hermetic.loader.archive;

import static dev.hermetic.loader.archive.IndexLayout.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads an index (see {@link IndexLayout}) in place: opening checks the header, the section bounds
 * and the trailer CRC-32C, then builds nothing; each lookup decodes only the records it touches.
 */
final class IndexReader {
    private final Path file;
    private final ByteBuffer bytes;
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

    IndexReader(Path file, byte[] index) throws ArchiveFormatException {
        this.file = file;
        this.bytes = ByteBuffer.wrap(index);
        if (index.length < HEADER_SIZE + TRAILER_SIZE || bytes.getInt(0) != MAGIC) {
            throw error("index is not a Hermetic index (bad magic or " + index.length + " bytes)");
        }
        int version = Short.toUnsignedInt(bytes.getShort(H_VERSION));
        if (version != VERSION) {
            throw error("index version " + version + " is not supported; this loader reads version " + VERSION);
        }
        CRC32C crc = new CRC32C();
        crc.update(index, 0, index.length - TRAILER_SIZE);
        if ((int) crc.getValue() != bytes.getInt(index.length - TRAILER_SIZE)) {
            throw error("index checksum mismatch: the index is corrupt");
        }
        if (bytes.get(H_SOURCE_HASH) != SOURCE_HASH_SHA256) {
            throw error("source hash algorithm " + bytes.get(H_SOURCE_HASH) + " is not supported; this loader knows 1 (SHA-256)");
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
        int flags = Byte.toUnsignedInt(bytes.get(H_FLAGS));
        if ((flags & ~FLAG_DIGESTS) != 0) {
            throw error("index header flags " + Integer.toHexString(flags) + " are not supported; this loader knows 1 (digests)");
        }
        long stringsEnd = (long) stringsAt + stringsLength;
        if (stringsAt < HEADER_SIZE || stringsEnd > index.length - TRAILER_SIZE) {
            throw error("index string section of " + stringsLength + " bytes at offset " + stringsAt
                    + " lies outside the index of " + index.length + " bytes");
        }
        long digestLength = index.length - TRAILER_SIZE - stringsEnd;
        if ((flags & FLAG_DIGESTS) == 0) {
            if (digestLength != 0) {
                throw error("index string section does not end at the trailer");
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
        int value = bytes.getInt(field);
        if (value < 0) {
            throw error("index header field at offset " + field + " is negative: " + value);
        }
        return value;
    }

    private int section(int field, int count, int recordSize) throws ArchiveFormatException {
        int at = count(field);
        if (at < HEADER_SIZE || (long) at + (long) count * recordSize > bytes.capacity() - TRAILER_SIZE) {
            throw error("index section at offset " + at + " with " + count + " records of " + recordSize
                    + " bytes lies outside the index of " + bytes.capacity() + " bytes");
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
    byte[] containerDigest(int id) {
        if (digestsAt < 0) {
            return null;
        }
        if (id <= 0 || id >= containers) {
            throw new IllegalArgumentException("no nested container " + id);
        }
        byte[] digest = new byte[DIGEST_SIZE];
        bytes.get(digestsAt + id * DIGEST_SIZE, digest);
        return digest;
    }

    /**
     * @return the SHA-256 of the application's entry of this name (one hash probe), or null when the
     *         index has no digests or the application has no entry of that name
     */
    byte[] applicationDigest(String name) throws ArchiveFormatException {
        if (digestsAt < 0) {
            return null;
        }
        int id = find(name);
        if (id < 0 || locationCount(id) == 0) {
            return null;
        }
        int location = bytes.getInt(nameRecord(id) + 8);
        if (location < 0 || location >= locations
                || Short.toUnsignedInt(bytes.getShort(locationsAt + location * LOCATION_SIZE + 20)) != 0) {
            return null;
        }
        if (location >= digestedLocations) {
            throw error(name + ": application location " + location + " has no digest (the digest section covers "
                    + digestedLocations + ")");
        }
        byte[] digest = new byte[DIGEST_SIZE];
        bytes.get(digestsAt + (containers + location) * DIGEST_SIZE, digest);
        return digest;
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
        return bytes.capacity();
    }

    String mainClass() throws ArchiveFormatException {
        return string(bytes.getInt(H_MAIN_CLASS), bytes.getInt(H_MAIN_CLASS + 4));
    }

    /** @return the id of the name, or -1 when the archive does not have it */
    int find(String name) throws ArchiveFormatException {
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

    String name(int id) throws ArchiveFormatException {
        int at = nameRecord(id);
        return string(bytes.getInt(at), Short.toUnsignedInt(bytes.getShort(at + 4)));
    }

    int locationCount(int id) throws ArchiveFormatException {
        return Short.toUnsignedInt(bytes.getShort(nameRecord(id) + 6));
    }

    int module(int nameId) throws ArchiveFormatException {
        int module = bytes.getInt(nameRecord(nameId) + 12);
        if (module < -1 || module >= modules) {
            throw error("name " + nameId + " names module " + module + " of " + modules);
        }
        return module;
    }

    IndexedEntry entry(int nameId, int which) throws ArchiveFormatException {
        int record = nameRecord(nameId);
        int location = bytes.getInt(record + 8) + which;
        if (which < 0 || which >= Short.toUnsignedInt(bytes.getShort(record + 6)) || location < 0
                || location >= locations) {
            throw error("location " + which + " of name " + nameId + " is outside the location table");
        }
        int at = locationsAt + location * LOCATION_SIZE;
        int container = Short.toUnsignedInt(bytes.getShort(at + 20));
        if (container >= containers) {
            throw error("location " + location + " names container " + container + " of " + containers);
        }
        return new IndexedEntry(name(nameId), container, bytes.getLong(at),
                Byte.toUnsignedInt(bytes.get(at + 22)), Integer.toUnsignedLong(bytes.getInt(at + 8)),
                Integer.toUnsignedLong(bytes.getInt(at + 12)), bytes.getInt(at + 16),
                container == 0 ? bytes.getInt(record + 12) : -1);
    }

    /** @return a name's entries in class-path order */
    List<IndexedEntry> entries(int nameId) throws ArchiveFormatException {
        int count = locationCount(nameId);
        List<IndexedEntry> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(entry(nameId, i));
        }
        return all;
    }

    /** @return the containers as packed */
    Container[] containers() throws ArchiveFormatException {
        Container[] all = new Container[containers];
        for (int i = 0; i < all.length; i++) {
            all[i] = container(i);
        }
        return all;
    }

    /** @return the trailer checksum, which identifies the index's content */
    int checksum() {
        return bytes.getInt(bytes.capacity() - TRAILER_SIZE);
    }

    Container container(int id) throws ArchiveFormatException {
        if (id < 0 || id >= containers) {
            throw new IllegalArgumentException("no container " + id);
        }
        int at = containersAt + id * CONTAINER_SIZE;
        return new Container(id, string(bytes.getInt(at), Short.toUnsignedInt(bytes.getShort(at + 4))),
                bytes.getLong(at + 8), bytes.getLong(at + 16));
    }

    Module moduleRecord(int id) throws ArchiveFormatException {
        if (id < 0 || id >= modules) {
            throw new IllegalArgumentException("no module " + id);
        }
        int at = modulesAt + id * MODULE_SIZE;
        int modeCode = bytes.get(at + 6);
        ValidationMode[] modes = ValidationMode.values();
        if (modeCode < 0 || modeCode >= modes.length) {
            throw error("module " + id + " has unknown validation mode " + modeCode);
        }
        byte[] sha = new byte[Module.HASH_LENGTH];
        bytes.get(at + 16, sha);
        return new Module(id, string(bytes.getInt(at), Short.toUnsignedInt(bytes.getShort(at + 4))),
                bytes.getLong(at + 8), modes[modeCode], sha, bytes.getLong(at + 48), bytes.getLong(at + 56),
                Short.toUnsignedInt(bytes.getShort(at + 64)), Short.toUnsignedInt(bytes.getShort(at + 66)),
                string(bytes.getInt(at + 68), Short.toUnsignedInt(bytes.getShort(at + 72))));
    }

    private int nameRecord(int id) {
        if (id < 0 || id >= names) {
            throw new IllegalArgumentException("no name " + id);
        }
        return namesAt + id * NAME_SIZE;
    }

    private String string(int offset, int length) throws ArchiveFormatException {
        checkString(offset, length);
        return new String(bytes.array(), stringsAt + offset, length, StandardCharsets.UTF_8);
    }

    private void checkString(int offset, int length) throws ArchiveFormatException {
        if (offset < 0 || length < 0 || (long) offset + length > stringsLength) {
            throw error("string of " + length + " bytes at offset " + offset + " lies outside the string section");
        }
    }

    /** Compares without decoding for ASCII names, the common case. */
    private boolean nameEquals(int id, String name) throws ArchiveFormatException {
        int at = nameRecord(id);
        int offset = bytes.getInt(at);
        int length = Short.toUnsignedInt(bytes.getShort(at + 4));
        checkString(offset, length);
        byte[] array = bytes.array();
        int start = stringsAt + offset;
        if (length != name.length()) {
            // UTF-8 is longer than the string only for non-ASCII names
            return length > name.length() && name.equals(new String(array, start, length, StandardCharsets.UTF_8));
        }
        for (int i = 0; i < length; i++) {
            byte b = array[start + i];
            if (b < 0) {
                return name.equals(new String(array, start, length, StandardCharsets.UTF_8));
            }
            if (b != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
