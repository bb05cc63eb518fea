package dev.hermetic.loader.archive;

import java.util.zip.CRC32;

/**
 * The binary layout of the index entry, version 2. All numbers are big-endian.
 *
 * <pre>
 * header   80 bytes: magic "HRMX", version u16, source hash algorithm u8 (1 = SHA-256), flags u8
 *          (bit 0: the digest section is present; other bits 0),
 *          counts of containers, modules, names,
 *          locations and hash slots (u32 each), the main class (string ref), then the offset of each
 *          section and the length of the string section (u32 each), the page count u32, the page
 *          size u32 (4096), 4 bytes 0, and the CRC-32 of the 76 bytes before it and the page table
 * page table  CRC-32 u32 of each page of the body: page i is the body's bytes from
 *          i × 4096, the last page shorter
 * body     every section below, at the offsets the header gives (all after the page table)
 * containers  24 bytes each: entry name (string ref u32+u16), flags u16 (bit 0: the nested jar has
 *             entries under META-INF/versions/), offset u64, size u64
 * modules     80 bytes each: source name (u32+u16), mode u8, flags u8, source offset i64,
 *             SHA-256 [32], source size u64, source time i64, class version u16, release u16,
 *             compiler options (u32+u16), 6 bytes 0
 * names       16 bytes each, sorted by name: name (u32+u16), location count u16, first location u32,
 *             module i32 (-1 for none)
 * locations   24 bytes each, grouped by name in class-path order: data offset u64, compressed size
 *             u32, size u32, CRC-32 u32, container u16, method u8, 0. The groups of names that the
 *             application has come first (in name order), then the others (in name order)
 * slots       8 bytes each, an open-addressing hash table (linear probing, power-of-two size, at most
 *             half full) over the names: hash u32, name id + 1 u32 (0 = empty)
 * strings     UTF-8 bytes referenced by (offset, length) pairs
 * digests     (when flag bit 0 is set) SHA-256 [32] each, from the end of the strings to the end of
 *             the index: first one per container (the nested jar's bytes whole; zeros for the
 *             application's), then one per location for the first K locations, where K is what the
 *             section's length leaves (at most the location count): the SHA-256 of the inflated bytes
 *             of each application location (zeros for a nested jar's location among them)
 * </pre>
 *
 * <p><b>Pages.</b> Opening reads the header and the page table in one read (80 bytes and 4 per page)
 * and checks their CRC-32; each page of the body is read and its CRC-32 checked the first time a read
 * touches it (at open, those of the containers and of the main class's name). Opening is therefore constant-time in the entry count, and a lookup reads a handful of
 * pages (slot, name, string, location). CRC-32 rather than CRC-32C: the JDK computes both with
 * hardware instructions once compiled, but {@code CRC32C}'s tables are built by its static
 * initialiser, which costs milliseconds on the launch path.
 *
 * <p><b>Digests</b> ({@code -Dhermetic.verify=digest}). Because the application's location groups come
 * first, every application location's index is below K, and its digest is found in O(1) from the
 * location index; K exceeds the number of application locations only by the nested locations of names
 * that the application shares with a jar (such as {@code META-INF/MANIFEST.MF}). A module's source needs
 * no digest here: its module record already holds the SHA-256 of the source as packed. The packer always
 * writes this section (it costs 32 bytes per application entry and per nested jar). The digests are only
 * as trustworthy as the index: the seal ({@code hermetic-seal/3}) records the index's own SHA-256, which
 * the loader checks at open under {@code digest}, so that an index edited after packing (a trust flag
 * changed, and its page and header CRCs, the central directory's CRC and the seal's CRC recomputed) is
 * refused. A forger who also recomputes the SHA-256 in the seal is not stopped: that needs the index's
 * hash pinned outside the archive, or a signature.
 *
 * Fixed-size records make every lookup a few reads of verified pages: no per-entry objects are built
 * when an archive is opened, and a miss usually ends at the first empty slot.
 */
final class IndexLayout {
    static final int MAGIC = 0x48524D58; // "HRMX"
    static final int VERSION = 2;
    static final int HEADER_SIZE = 80;
    static final int PAGE_SIZE = 4096;
    static final int CONTAINER_SIZE = 24;
    static final int MODULE_SIZE = 80;
    static final int NAME_SIZE = 16;
    static final int LOCATION_SIZE = 24;
    static final int SLOT_SIZE = 8;
    static final int PAGE_CRC_SIZE = 4;
    static final int DIGEST_SIZE = 32;

    // header field offsets
    static final int H_VERSION = 4;
    static final int H_SOURCE_HASH = 6;
    static final int H_FLAGS = 7;
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
    static final int H_PAGES = 64;
    static final int H_PAGE_SIZE = 68;
    static final int H_CRC = 76;

    /**
     * The source hash algorithm: SHA-256, in every JDK and hardware-accelerated on current CPUs, and
     * collision-resistant, so a match means the source is the one the caches were compiled from.
     */
    static final int SOURCE_HASH_SHA256 = 1;

    /** {@link #H_FLAGS} bit: the index ends with the digest section. */
    static final int FLAG_DIGESTS = 1;

    /** Container flag bit: the nested jar has entries under {@code META-INF/versions/}. */
    static final int CONTAINER_VERSIONED = 1;

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

    /** CRC-32 of the header before its CRC field, then of the page table. */
    static int headerCrc(byte[] index, int pages) {
        CRC32 crc = new CRC32();
        crc.update(index, 0, H_CRC);
        crc.update(index, HEADER_SIZE, pages * PAGE_CRC_SIZE);
        return (int) crc.getValue();
    }

    /** @return where the body starts: after the header and a page table for a body of that many pages */
    static int bodyStart(int pages) {
        return HEADER_SIZE + pages * PAGE_CRC_SIZE;
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
