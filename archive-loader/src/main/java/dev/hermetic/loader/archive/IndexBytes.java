package dev.hermetic.loader.archive;

import static dev.hermetic.loader.archive.IndexLayout.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The bytes of an index (see {@link IndexLayout}), checked page by page: the header and the page table
 * at construction, each 4 KiB page of the body when a read first touches it. An index in a sealed zip is
 * read from the file a page at a time, so that opening an archive costs the same for 1k entries as for
 * 100k; an index already in memory (an edited or exploded archive's, or one read whole to be hashed)
 * is only checked that way.
 *
 * <p>Thread-safe without locks: a page is an immutable object published through a plain array, which
 * the final field of {@link Page} makes safe; two threads may read and check the same page once each.
 */
final class IndexBytes {
    private static final int SHIFT = Integer.numberOfTrailingZeros(PAGE_SIZE);
    private static final int MASK = PAGE_SIZE - 1;

    private final Path archive;
    /** The file and offset to read pages from, or null when the index is in {@link #memory}. */
    private final FileBlock file;
    private final long offset;
    private final byte[] memory;
    private final int length;
    /** The header and the page table, checked (an index in memory: the index itself). */
    private final byte[] head;
    private final int bodyStart;
    private final Page[] pages;

    /** A checked page: {@code bytes[base]} is its first byte. */
    private static final class Page {
        final byte[] bytes;
        final int base;

        Page(byte[] bytes, int base) {
            this.bytes = bytes;
            this.base = base;
        }
    }

    private IndexBytes(Path archive, FileBlock file, long offset, byte[] memory, int length, byte[] head, int pages) {
        this.archive = archive;
        this.file = file;
        this.offset = offset;
        this.memory = memory;
        this.length = length;
        this.head = head;
        this.bodyStart = IndexLayout.bodyStart(pages);
        this.pages = new Page[pages];
    }

    /** Reads and checks the header and page table of the {@code length}-byte index at {@code offset}. */
    static IndexBytes read(Path archive, FileBlock file, long offset, int length) throws IOException {
        checkLength(archive, length);
        // the length gives the page count (each page adds 4 KiB of body and 4 bytes of table; exactly one
        // count fits a valid length), so the header and the page table come in one read; the header's
        // count must be that one
        int fits = (int) ((length - HEADER_SIZE + PAGE_SIZE + PAGE_CRC_SIZE - 1L) / (PAGE_SIZE + PAGE_CRC_SIZE));
        byte[] head = file.read(offset, Math.min(IndexLayout.bodyStart(fits), length));
        int pages = pageCount(archive, head, length);
        checkHead(archive, head, pages);
        return new IndexBytes(archive, file, offset, null, length, head, pages);
    }

    /** Checks the header and page table of an index in memory; its pages are checked at first use. */
    static IndexBytes of(Path archive, byte[] index) throws ArchiveFormatException {
        checkLength(archive, index.length);
        int pages = pageCount(archive, index, index.length);
        checkHead(archive, index, pages);
        return new IndexBytes(archive, null, 0, index, index.length, index, pages);
    }

    private static void checkLength(Path archive, int length) throws ArchiveFormatException {
        if (length < HEADER_SIZE) {
            throw error(archive, "index is not a Hermetic index (" + length + " bytes)");
        }
    }

    /** The page count the header gives, checked against the index's length and the format. */
    private static int pageCount(Path archive, byte[] header, int length) throws ArchiveFormatException {
        if (readInt(header, 0) != MAGIC) {
            throw error(archive, "index is not a Hermetic index (bad magic)");
        }
        int version = (header[H_VERSION] & 0xFF) << 8 | header[H_VERSION + 1] & 0xFF;
        if (version != VERSION) {
            throw error(archive, "index version " + version + " is not supported; this loader reads version " + VERSION);
        }
        int pages = readInt(header, H_PAGES);
        int pageSize = readInt(header, H_PAGE_SIZE);
        long body = length - HEADER_SIZE - (long) pages * PAGE_CRC_SIZE;
        if (pageSize != PAGE_SIZE || pages < 0 || body < 0 || pages != (body + PAGE_SIZE - 1) / PAGE_SIZE) {
            throw error(archive, "index header gives " + pages + " pages of " + pageSize + " bytes, which do not make"
                    + " up the index of " + length + " bytes");
        }
        return pages;
    }

    private static void checkHead(Path archive, byte[] head, int pages) throws ArchiveFormatException {
        if (IndexLayout.headerCrc(head, pages) != readInt(head, H_CRC)) {
            throw error(archive, "index checksum mismatch in its header: the index is corrupt");
        }
    }

    /** @return the index's length in bytes */
    int length() {
        return length;
    }

    /** @return where the body, and so every section, starts */
    int bodyStart() {
        return bodyStart;
    }

    /** @return the header's CRC-32, which covers every page's: an identity of the index's content */
    int checksum() {
        return readInt(head, H_CRC);
    }

    /** @return a number of the header */
    int headerInt(int at) {
        return readInt(head, at);
    }

    byte headerByte(int at) {
        return head[at];
    }

    /** The page holding body offset {@code at} (relative to the body), read and checked at first use. */
    private Page page(int bodyOffset) throws IOException {
        int number = bodyOffset >>> SHIFT;
        Page page = pages[number];
        if (page == null) {
            int start = number << SHIFT;
            int size = Math.min(PAGE_SIZE, length - bodyStart - start);
            page = memory != null ? new Page(memory, bodyStart + start)
                    : new Page(file.read(offset + bodyStart + start, size), 0);
            CRC32 crc = new CRC32();
            crc.update(page.bytes, page.base, size);
            if ((int) crc.getValue() != readInt(head, HEADER_SIZE + number * PAGE_CRC_SIZE)) {
                throw error(archive, "index checksum mismatch in page " + number + " (" + size + " bytes at offset "
                        + (bodyStart + start) + "): the index is corrupt");
            }
            pages[number] = page;
        }
        return page;
    }

    private void check(int at, int count) throws ArchiveFormatException {
        if (at < bodyStart || count < 0 || at > length - count) {
            throw error(archive, count + " bytes at index offset " + at + " lie outside its body (" + bodyStart
                    + " to " + length + ")");
        }
    }

    byte get(int at) throws IOException {
        check(at, 1);
        int rel = at - bodyStart;
        Page page = page(rel);
        return page.bytes[page.base + (rel & MASK)];
    }

    int getInt(int at) throws IOException {
        check(at, 4);
        int rel = at - bodyStart;
        if ((rel & MASK) > PAGE_SIZE - 4) {
            return (get(at) & 0xFF) << 24 | (get(at + 1) & 0xFF) << 16 | (get(at + 2) & 0xFF) << 8 | get(at + 3) & 0xFF;
        }
        Page page = page(rel);
        return readInt(page.bytes, page.base + (rel & MASK));
    }

    int getUnsignedShort(int at) throws IOException {
        check(at, 2);
        int rel = at - bodyStart;
        if ((rel & MASK) > PAGE_SIZE - 2) {
            return (get(at) & 0xFF) << 8 | get(at + 1) & 0xFF;
        }
        Page page = page(rel);
        int i = page.base + (rel & MASK);
        return (page.bytes[i] & 0xFF) << 8 | page.bytes[i + 1] & 0xFF;
    }

    long getLong(int at) throws IOException {
        return (long) getInt(at) << 32 | Integer.toUnsignedLong(getInt(at + 4));
    }

    /** @return a copy of {@code count} bytes at {@code at} */
    byte[] get(int at, int count) throws IOException {
        check(at, count);
        byte[] bytes = new byte[count];
        for (int done = 0; done < count; ) {
            int rel = at + done - bodyStart;
            Page page = page(rel);
            int n = Math.min(count - done, PAGE_SIZE - (rel & MASK));
            System.arraycopy(page.bytes, page.base + (rel & MASK), bytes, done, n);
            done += n;
        }
        return bytes;
    }

    /** Decodes in place when the bytes lie in one page, the usual case; copies them out otherwise. */
    String utf8(int at, int count) throws IOException {
        check(at, count);
        int rel = at - bodyStart;
        if ((rel & MASK) + count <= PAGE_SIZE) {
            Page page = page(rel);
            return new String(page.bytes, page.base + (rel & MASK), count, StandardCharsets.UTF_8);
        }
        return new String(get(at, count), StandardCharsets.UTF_8);
    }

    /** Compares UTF-8 bytes with a string without decoding them, for ASCII names (the common case). */
    boolean equalsUtf8(int at, int count, String name) throws IOException {
        if (count != name.length()) {
            // UTF-8 is longer than the string only for non-ASCII names
            return count > name.length() && name.equals(utf8(at, count));
        }
        check(at, count);
        for (int i = 0; i < count; ) {
            int rel = at + i - bodyStart;
            Page page = page(rel);
            int end = Math.min(count, i + PAGE_SIZE - (rel & MASK));
            for (int p = page.base + (rel & MASK); i < end; i++, p++) {
                byte b = page.bytes[p];
                if (b < 0) {
                    return name.equals(utf8(at, count));
                }
                if (b != name.charAt(i)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int readInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | bytes[at + 3] & 0xFF;
    }

    private static ArchiveFormatException error(Path archive, String what) {
        return new ArchiveFormatException(archive, ArchiveLayout.INDEX + ": " + what);
    }
}
