package dev.hermetic.loader.archive;

/**
 * The binary layout of the index entry, version 1. All numbers are big-endian.
 *
 * <pre>
 * header   64 bytes: magic "HRMX", version u16, source hash algorithm u8 (1 = SHA-256), 0 u8,
 *          counts of containers, modules, names,
 *          locations and hash slots (u32 each), the main class (string ref), then the offset of each
 *          section and the length of the string section (u32 each)
 * containers  24 bytes each: entry name (string ref u32+u16), u16 0, offset u64, size u64
 * modules     80 bytes each: source name (u32+u16), mode u8, flags u8, source offset i64,
 *             SHA-256 [32], source size u64, source time i64, class version u16, release u16,
 *             compiler options (u32+u16), 6 bytes 0
 * names       16 bytes each, sorted by name: name (u32+u16), location count u16, first location u32,
 *             module i32 (-1 for none)
 * locations   24 bytes each, grouped by name in class-path order: data offset u64, compressed size
 *             u32, size u32, CRC-32 u32, container u16, method u8, 0
 * slots       8 bytes each, an open-addressing hash table (linear probing, power-of-two size, at most
 *             half full) over the names: hash u32, name id + 1 u32 (0 = empty)
 * strings     UTF-8 bytes referenced by (offset, length) pairs
 * trailer     CRC-32C of everything before it, u32
 * </pre>
 *
 * Fixed-size records make every lookup a few reads of one in-memory buffer: no per-entry objects are
 * built when an archive is opened, and a miss usually ends at the first empty slot.
 */
final class IndexLayout {
    static final int MAGIC = 0x48524D58; // "HRMX"
    static final int VERSION = 1;
    static final int HEADER_SIZE = 64;
    static final int CONTAINER_SIZE = 24;
    static final int MODULE_SIZE = 80;
    static final int NAME_SIZE = 16;
    static final int LOCATION_SIZE = 24;
    static final int SLOT_SIZE = 8;
    static final int TRAILER_SIZE = 4;

    // header field offsets
    static final int H_VERSION = 4;
    static final int H_SOURCE_HASH = 6;
    static final int H_CONTAINERS = 8;
    static final int H_MODULES = 12;
    static final int H_NAMES = 16;
    static final int H_LOCATIONS = 20;
    static final int H_SLOTS = 24;
    static final int H_MAIN_CLASS = 28; // u32 offset + u32 length
    static final int H_CONTAINERS_AT = 36;
    static final int H_MODULES_AT = 40;
    static final int H_NAMES_AT = 44;
    static final int H_LOCATIONS_AT = 48;
    static final int H_SLOTS_AT = 52;
    static final int H_STRINGS_AT = 56;
    static final int H_STRINGS_LENGTH = 60;

    /**
     * The source hash algorithm: SHA-256, in every JDK and hardware-accelerated on current CPUs, and
     * collision-resistant, so a match means the source is the one the caches were compiled from.
     */
    static final int SOURCE_HASH_SHA256 = 1;

    private IndexLayout() {
    }

    /**
     * The slot hash of a name: {@link String#hashCode()}, whose algorithm the Java specification fixes,
     * spread by MurmurHash3's finaliser so that linear probing sees well-mixed low bits.
     */
    static int hash(String name) {
        int h = name.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** Smallest power of two at least twice {@code names}, so the table is at most half full. */
    static int slotCount(int names) {
        int slots = 2;
        while (slots < 2L * names) {
            slots <<= 1;
        }
        return slots;
    }
}
