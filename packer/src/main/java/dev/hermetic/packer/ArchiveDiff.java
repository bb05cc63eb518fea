package dev.hermetic.packer;

import dev.hermetic.loader.archive.ArchiveLayout;
import dev.hermetic.loader.archive.IndexedEntry;
import dev.hermetic.loader.archive.Module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What differs between two archives ({@code packer diff A B}): the front door of comparison.
 *
 * <ul>
 *   <li><b>Entries</b>: every zip entry of the two archives by name (application classes, resources,
 *       sources, the launcher, the manifest, nested jars), compared by size and CRC-32; inside a nested
 *       jar present in both, every entry by name, size and CRC-32 as the index records them
 *       ({@code HERMETIC-INF/lib/a.jar!/com/a/X.class}). The index entry itself is left out: it differs
 *       whenever anything else does, and what it records is compared below.</li>
 *   <li><b>Modules</b> by source path: added, removed, or changed in mode, source (SHA-256, size),
 *       whether the source is shipped, class-file version, release or compiler options.</li>
 *   <li>The main class and the entry time.</li>
 * </ul>
 *
 * <p>Both archives are read through their index as the loader reads it ({@link Inspection}), and
 * through their central directory. Byte-identical files are reported as identical without further
 * reading. Costs: both central directories and indexes are read once; no entry's bytes are read.
 *
 * @param a        the first archive
 * @param b        the second archive
 * @param changes  what differs, in order: main class, entry time, entries by name, modules by source
 */
public record ArchiveDiff(Path a, Path b, List<Change> changes) {
    public ArchiveDiff {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        changes = List.copyOf(changes);
    }

    /** @return whether nothing differs */
    public boolean identical() {
        return changes.isEmpty();
    }

    /** @return how many changes are of this subject and kind */
    public long count(Subject subject, Kind kind) {
        return changes.stream().filter(c -> c.subject() == subject && c.kind() == kind).count();
    }

    /** What a change is about. */
    public enum Subject {
        /** The application's entry point. */
        MAIN_CLASS,
        /** The time of the entries. */
        ENTRY_TIME,
        /** A zip entry of the archive, or an entry of a nested jar ({@code JAR!/NAME}). */
        ENTRY,
        /** A module, by source path. */
        MODULE;

        /** @return the label used in output: {@code main-class}, {@code entry}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How it changed. */
    public enum Kind {
        /** Only in the second archive. */
        ADDED,
        /** Only in the first archive. */
        REMOVED,
        /** In both, different. */
        CHANGED;

        /** @return the label used in output: {@code added}, {@code removed}, {@code changed} */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        String sign() {
            return switch (this) {
                case ADDED -> "+";
                case REMOVED -> "-";
                case CHANGED -> "~";
            };
        }
    }

    /**
     * One difference.
     *
     * @param subject what it is about
     * @param name    the entry name, module source path, or {@code main class} / {@code entry time}
     * @param kind    added, removed or changed
     * @param reasons why, each a short phrase ({@code size 120 -> 130}, {@code mode trusted -> checked},
     *                {@code source sha256 0a1b2c3d4e5f -> 66778899aabb}); for an added or removed entry,
     *                its size
     */
    public record Change(Subject subject, String name, Kind kind, List<String> reasons) {
        public Change {
            reasons = List.copyOf(reasons);
        }

        /** @return one line: {@code ~ entry HERMETIC-INF/classes/a/A.class: size 120 -> 130, crc32 ...}, {@code ~ main class: a.A -> b.B} */
        public String message() {
            String what = subject == Subject.ENTRY || subject == Subject.MODULE ? subject.label() + " " + name : name;
            return kind.sign() + " " + what + (reasons.isEmpty() ? "" : ": " + String.join(", ", reasons));
        }
    }

    /**
     * Compares two archives.
     *
     * @throws IOException when either cannot be read or is not a valid Hermetic archive
     */
    public static ArchiveDiff compare(Path a, Path b) throws IOException {
        for (Path p : List.of(a, b)) {
            if (Files.isDirectory(p)) {
                throw new PackException(p, "is a directory: diff compares archive files");
            }
            InputTrees.requireExists(p, "archive");
        }
        if (Files.size(a) == Files.size(b) && Files.mismatch(a, b) == -1) {
            return new ArchiveDiff(a, b, List.of());
        }
        Inspection ia = Inspection.of(a);
        Inspection ib = Inspection.of(b);
        List<Change> changes = new ArrayList<>();
        if (!ia.mainClass().equals(ib.mainClass())) {
            changes.add(new Change(Subject.MAIN_CLASS, "main class", Kind.CHANGED,
                    List.of(ia.mainClass() + " -> " + ib.mainClass())));
        }
        Map<String, ZipEntry> za = zipEntries(a);
        Map<String, ZipEntry> zb = zipEntries(b);
        Optional<LocalDateTime> ta = za.values().stream().findFirst().map(ZipEntry::getTimeLocal);
        Optional<LocalDateTime> tb = zb.values().stream().findFirst().map(ZipEntry::getTimeLocal);
        if (!ta.equals(tb)) {
            changes.add(new Change(Subject.ENTRY_TIME, "entry time", Kind.CHANGED,
                    List.of(ta.map(Object::toString).orElse("none") + " -> " + tb.map(Object::toString).orElse("none"))));
        }
        Map<String, Map<String, IndexedEntry>> nestedA = nested(ia);
        Map<String, Map<String, IndexedEntry>> nestedB = nested(ib);
        for (String name : union(za.keySet(), zb.keySet())) {
            ZipEntry ea = za.get(name);
            ZipEntry eb = zb.get(name);
            if (ea == null) {
                changes.add(new Change(Subject.ENTRY, name, Kind.ADDED, List.of(eb.getSize() + " bytes")));
            } else if (eb == null) {
                changes.add(new Change(Subject.ENTRY, name, Kind.REMOVED, List.of(ea.getSize() + " bytes")));
            } else {
                List<String> reasons = contentReasons(ea.getSize(), eb.getSize(), (int) ea.getCrc(), (int) eb.getCrc());
                if (ea.getMethod() != eb.getMethod()) {
                    reasons.add("method " + method(ea.getMethod()) + " -> " + method(eb.getMethod()));
                }
                if (!reasons.isEmpty()) {
                    changes.add(new Change(Subject.ENTRY, name, Kind.CHANGED, reasons));
                    if (nestedA.containsKey(name) && nestedB.containsKey(name)) {
                        nestedChanges(name, nestedA.get(name), nestedB.get(name), changes);
                    }
                }
            }
        }
        moduleChanges(ia, ib, changes);
        return new ArchiveDiff(a, b, changes);
    }

    private static Map<String, ZipEntry> zipEntries(Path file) throws IOException {
        Map<String, ZipEntry> entries = new TreeMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (!e.getName().equals(ArchiveLayout.INDEX)) {
                    entries.put(e.getName(), e);
                }
            }
        }
        return entries;
    }

    /** @return each nested jar's entries by name, by the jar's entry name */
    private static Map<String, Map<String, IndexedEntry>> nested(Inspection in) {
        Map<String, Map<String, IndexedEntry>> jars = new TreeMap<>();
        for (Inspection.ClassPathElement element : in.classPath()) {
            if (element.container().nested()) {
                Map<String, IndexedEntry> entries = new TreeMap<>();
                for (IndexedEntry e : element.entries()) {
                    entries.put(e.name(), e);
                }
                jars.put(element.container().entry(), entries);
            }
        }
        return jars;
    }

    private static void nestedChanges(String jar, Map<String, IndexedEntry> a, Map<String, IndexedEntry> b,
                                      List<Change> changes) {
        for (String name : union(a.keySet(), b.keySet())) {
            IndexedEntry ea = a.get(name);
            IndexedEntry eb = b.get(name);
            String qualified = jar + "!/" + name;
            if (ea == null) {
                changes.add(new Change(Subject.ENTRY, qualified, Kind.ADDED, List.of(eb.size() + " bytes")));
            } else if (eb == null) {
                changes.add(new Change(Subject.ENTRY, qualified, Kind.REMOVED, List.of(ea.size() + " bytes")));
            } else {
                List<String> reasons = contentReasons(ea.size(), eb.size(), ea.crc32(), eb.crc32());
                if (ea.method() != eb.method()) {
                    reasons.add("method " + method(ea.method()) + " -> " + method(eb.method()));
                }
                if (!reasons.isEmpty()) {
                    changes.add(new Change(Subject.ENTRY, qualified, Kind.CHANGED, reasons));
                }
            }
        }
    }

    private static void moduleChanges(Inspection ia, Inspection ib, List<Change> changes) {
        Map<String, Module> ma = modules(ia);
        Map<String, Module> mb = modules(ib);
        for (String source : union(ma.keySet(), mb.keySet())) {
            Module a = ma.get(source);
            Module b = mb.get(source);
            if (a == null) {
                changes.add(new Change(Subject.MODULE, source, Kind.ADDED, List.of(describe(b))));
            } else if (b == null) {
                changes.add(new Change(Subject.MODULE, source, Kind.REMOVED, List.of(describe(a))));
            } else {
                List<String> reasons = new ArrayList<>();
                if (a.mode() != b.mode()) {
                    reasons.add("mode " + a.mode().label() + " -> " + b.mode().label());
                }
                if (a.hasSource() != b.hasSource()) {
                    reasons.add(b.hasSource() ? "source now shipped" : "source no longer shipped");
                } else if (!Arrays.equals(a.sourceSha256(), b.sourceSha256())) {
                    reasons.add("source sha256 " + shortHash(a) + " -> " + shortHash(b));
                }
                if (a.hasSource() && b.hasSource() && a.sourceSize() != b.sourceSize()) {
                    reasons.add("source size " + a.sourceSize() + " -> " + b.sourceSize());
                }
                if (a.classVersion() != b.classVersion()) {
                    reasons.add("class version " + a.classVersion() + " -> " + b.classVersion());
                }
                if (a.release() != b.release()) {
                    reasons.add("release " + a.release() + " -> " + b.release());
                }
                if (!a.compilerOptions().equals(b.compilerOptions())) {
                    reasons.add("compiler options '" + a.compilerOptions() + "' -> '" + b.compilerOptions() + "'");
                }
                if (!reasons.isEmpty()) {
                    changes.add(new Change(Subject.MODULE, source, Kind.CHANGED, reasons));
                }
            }
        }
    }

    private static Map<String, Module> modules(Inspection in) {
        Map<String, Module> modules = new TreeMap<>();
        for (Inspection.ModuleView view : in.modules()) {
            modules.put(view.module().source(), view.module());
        }
        return modules;
    }

    private static String describe(Module m) {
        return m.mode().label() + (m.hasSource() ? ", source shipped" : ", no source");
    }

    private static String shortHash(Module m) {
        return HexFormat.of().formatHex(m.sourceSha256(), 0, 6);
    }

    private static List<String> contentReasons(long sizeA, long sizeB, int crcA, int crcB) {
        List<String> reasons = new ArrayList<>();
        if (sizeA != sizeB) {
            reasons.add("size " + sizeA + " -> " + sizeB);
        }
        if (crcA != crcB) {
            reasons.add(String.format(Locale.ROOT, "crc32 %08x -> %08x", crcA, crcB));
        }
        return reasons;
    }

    private static String method(int method) {
        return method == ZipEntry.STORED ? "stored" : method == ZipEntry.DEFLATED ? "deflated" : Integer.toString(method);
    }

    private static TreeSet<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
