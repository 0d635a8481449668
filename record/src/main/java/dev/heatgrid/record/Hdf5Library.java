package dev.heatgrid.record;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The HDF Group's HDF5 C library (1.10 or newer), called through FFM: the few calls a recording needs,
 * each checked, a failure turned into an {@link IOException} carrying HDF5's own error stack. HDF5's
 * file format is written by that library only; nothing here knows it.
 *
 * <p>Why not a Java library: {@code io.jhdf:jhdf} (0.13.0, pure Java) writes only whole datasets
 * from arrays in memory, at close, so it can neither append frames nor leave a readable file
 * after a crash (docs/FORMAT.md of the recording explains); the HDF Group's JNI wrapper
 * ({@code jarhdf5}) is not on Maven Central and would make every build need a system package. This
 * binding needs the library only when an HDF5 file is written.
 *
 * <p>Dimension scales (coordinates attached to a dataset's dimensions, which h5py, xarray and netCDF read)
 * come from the library's high-level part, {@code libhdf5_hl} (its H5DS functions), a separate file of
 * the same build; where it is missing a recording is written without them ({@link #scalesMissing()}).
 *
 * <p>The library build Debian ships is not thread-safe: every call here holds this object's monitor.
 */
final class Hdf5Library {
    /** Set this to the library's file (e.g. /usr/lib/x86_64-linux-gnu/libhdf5_serial.so.103) to choose one. */
    static final String LIBRARY_VARIABLE = "HEATGRID_HDF5_LIBRARY";
    private static final List<String> CANDIDATES = List.of("libhdf5_serial.so.103", "libhdf5.so.310",
            "libhdf5.so.320", "libhdf5.so.200", "libhdf5.so.103", "libhdf5.so", "libhdf5_serial.so",
            "libhdf5.dylib", "hdf5.dll");
    /** The high-level library's file (e.g. /usr/lib/x86_64-linux-gnu/libhdf5_serial_hl.so.100), to choose one. */
    static final String HL_LIBRARY_VARIABLE = "HEATGRID_HDF5_HL_LIBRARY";
    private static final List<String> HL_FUNCTIONS = List.of("H5DSset_scale", "H5DSattach_scale", "H5DSset_label",
            "H5DSis_attached", "H5DSget_scale_name", "H5DSget_label");
    /** Debian numbers the high-level library apart (libhdf5-hl-100 goes with libhdf5-103-1). */
    private static final List<String> HL_CANDIDATES = List.of("libhdf5_serial_hl.so.100", "libhdf5_hl.so.310",
            "libhdf5_hl.so.320", "libhdf5_hl.so.200", "libhdf5_hl.so.100", "libhdf5_hl.so", "libhdf5_serial_hl.so",
            "libhdf5_hl.dylib", "hdf5_hl.dll");

    static final int F_ACC_RDONLY = 0x0000;
    static final int F_ACC_EXCL = 0x0004;
    static final int F_ACC_TRUNC = 0x0002;
    static final int F_ACC_SWMR_READ = 0x0040;
    /** H5F_LIBVER_V110: the oldest file format SWMR works with, understood by HDF5 1.10 and newer. */
    private static final int LIBVER_V110 = 2;
    private static final long UNLIMITED = -1L; // H5S_UNLIMITED, (hsize_t)-1
    private static final long VARIABLE = -1L;  // H5T_VARIABLE, (size_t)-1
    private static final int CSET_UTF8 = 1;
    private static final int SELECT_SET = 0;
    private static final int SCALAR = 0;

    private static final ValueLayout.OfLong HID = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt HERR = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong HSIZE = ValueLayout.JAVA_LONG;
    private static final AddressLayout ADDR = ValueLayout.ADDRESS;
    /** H5E_error2_t: cls_id, maj_num, min_num (hid_t), line (unsigned), func_name, file_name, desc (char *). */
    private static final MemoryLayout ERROR_DESC = MemoryLayout.structLayout(HID, HID, HID, ValueLayout.JAVA_INT,
            MemoryLayout.paddingLayout(4), ADDR, ADDR, ADDR);

    private static Hdf5Library instance;
    private static String unavailable;

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup lookup;
    private final String name;
    private final String version;
    private final List<String> errors = new ArrayList<>();

    private final MethodHandle fcreate;
    private final MethodHandle fopen;
    private final MethodHandle fclose;
    private final MethodHandle fflush;
    private final MethodHandle fstartSwmr;
    private final MethodHandle pcreate;
    private final MethodHandle pclose;
    private final MethodHandle psetChunk;
    private final MethodHandle psetLibver;
    private final MethodHandle screateSimple;
    private final MethodHandle screate;
    private final MethodHandle sselectHyperslab;
    private final MethodHandle sgetDims;
    private final MethodHandle sclose;
    private final MethodHandle dcreate;
    private final MethodHandle dopen;
    private final MethodHandle dsetExtent;
    private final MethodHandle dgetSpace;
    private final MethodHandle dwrite;
    private final MethodHandle dread;
    private final MethodHandle dclose;
    private final MethodHandle acreate;
    private final MethodHandle aopen;
    private final MethodHandle awrite;
    private final MethodHandle aread;
    private final MethodHandle aclose;
    private final MethodHandle tcopy;
    private final MethodHandle tsetSize;
    private final MethodHandle tsetCset;
    private final MethodHandle tclose;
    private final MethodHandle freeMemory;
    private final MethodHandle ewalk;
    private final MemorySegment walkCallback;
    /** H5DS functions of the high-level library; null where it is missing (then {@link #scalesMissing} says why). */
    private final MethodHandle dsSetScale;
    private final MethodHandle dsAttachScale;
    private final MethodHandle dsSetLabel;
    private final MethodHandle dsIsAttached;
    private final MethodHandle dsGetScaleName;
    private final MethodHandle dsGetLabel;
    private final String scalesMissing;

    final long nativeDouble;
    final long nativeInt64;
    final long fileDouble;
    final long fileInt64;
    /** Variable-length UTF-8 strings (h5py reads them as {@code str}). */
    final long utf8;
    private final long fileAccessClass;
    private final long datasetCreateClass;

    private Hdf5Library(SymbolLookup lookup, String name, HighLevel hl) throws IOException {
        this.lookup = lookup;
        this.name = name;
        MethodHandle open = handle("H5open", FunctionDescriptor.of(HERR));
        MethodHandle libversion = handle("H5get_libversion", FunctionDescriptor.of(HERR, ADDR, ADDR, ADDR));
        MethodHandle setAuto = handle("H5Eset_auto2", FunctionDescriptor.of(HERR, HID, ADDR, ADDR));
        try (Arena arena = Arena.ofConfined()) {
            check((int) open.invokeExact(), "H5open");
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT, 3);
            check((int) libversion.invokeExact(v, v.asSlice(4), v.asSlice(8)), "H5get_libversion");
            int major = v.getAtIndex(ValueLayout.JAVA_INT, 0);
            int minor = v.getAtIndex(ValueLayout.JAVA_INT, 1);
            version = major + "." + minor + "." + v.getAtIndex(ValueLayout.JAVA_INT, 2);
            if (major < 1 || (major == 1 && minor < 10)) {
                throw new IOException("the HDF5 library " + name + " is version " + version + "; heatgrid needs 1.10"
                        + " or newer (64-bit identifiers, SWMR)");
            }
            // Errors come back to us as exceptions; the library must not print them on its own.
            check((int) setAuto.invokeExact(0L, MemorySegment.NULL, MemorySegment.NULL), "H5Eset_auto2");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot initialise the HDF5 library " + name + ": " + t, t);
        }
        fcreate = handle("H5Fcreate", FunctionDescriptor.of(HID, ADDR, ValueLayout.JAVA_INT, HID, HID));
        fopen = handle("H5Fopen", FunctionDescriptor.of(HID, ADDR, ValueLayout.JAVA_INT, HID));
        fclose = handle("H5Fclose", FunctionDescriptor.of(HERR, HID));
        fflush = handle("H5Fflush", FunctionDescriptor.of(HERR, HID, ValueLayout.JAVA_INT));
        fstartSwmr = handle("H5Fstart_swmr_write", FunctionDescriptor.of(HERR, HID));
        pcreate = handle("H5Pcreate", FunctionDescriptor.of(HID, HID));
        pclose = handle("H5Pclose", FunctionDescriptor.of(HERR, HID));
        psetChunk = handle("H5Pset_chunk", FunctionDescriptor.of(HERR, HID, ValueLayout.JAVA_INT, ADDR));
        psetLibver = handle("H5Pset_libver_bounds", FunctionDescriptor.of(HERR, HID, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT));
        screateSimple = handle("H5Screate_simple", FunctionDescriptor.of(HID, ValueLayout.JAVA_INT, ADDR, ADDR));
        screate = handle("H5Screate", FunctionDescriptor.of(HID, ValueLayout.JAVA_INT));
        sselectHyperslab = handle("H5Sselect_hyperslab", FunctionDescriptor.of(HERR, HID, ValueLayout.JAVA_INT, ADDR,
                ADDR, ADDR, ADDR));
        sgetDims = handle("H5Sget_simple_extent_dims", FunctionDescriptor.of(ValueLayout.JAVA_INT, HID, ADDR, ADDR));
        sclose = handle("H5Sclose", FunctionDescriptor.of(HERR, HID));
        dcreate = handle("H5Dcreate2", FunctionDescriptor.of(HID, HID, ADDR, HID, HID, HID, HID, HID));
        dopen = handle("H5Dopen2", FunctionDescriptor.of(HID, HID, ADDR, HID));
        dsetExtent = handle("H5Dset_extent", FunctionDescriptor.of(HERR, HID, ADDR));
        dgetSpace = handle("H5Dget_space", FunctionDescriptor.of(HID, HID));
        // Heap arrays go straight to the library (no copy); it never calls back into Java meanwhile.
        dwrite = handle("H5Dwrite", FunctionDescriptor.of(HERR, HID, HID, HID, HID, HID, ADDR),
                Linker.Option.critical(true));
        dread = handle("H5Dread", FunctionDescriptor.of(HERR, HID, HID, HID, HID, HID, ADDR),
                Linker.Option.critical(true));
        dclose = handle("H5Dclose", FunctionDescriptor.of(HERR, HID));
        acreate = handle("H5Acreate2", FunctionDescriptor.of(HID, HID, ADDR, HID, HID, HID, HID));
        aopen = handle("H5Aopen", FunctionDescriptor.of(HID, HID, ADDR, HID));
        awrite = handle("H5Awrite", FunctionDescriptor.of(HERR, HID, HID, ADDR), Linker.Option.critical(true));
        aread = handle("H5Aread", FunctionDescriptor.of(HERR, HID, HID, ADDR), Linker.Option.critical(true));
        aclose = handle("H5Aclose", FunctionDescriptor.of(HERR, HID));
        tcopy = handle("H5Tcopy", FunctionDescriptor.of(HID, HID));
        tsetSize = handle("H5Tset_size", FunctionDescriptor.of(HERR, HID, ValueLayout.JAVA_LONG));
        tsetCset = handle("H5Tset_cset", FunctionDescriptor.of(HERR, HID, ValueLayout.JAVA_INT));
        tclose = handle("H5Tclose", FunctionDescriptor.of(HERR, HID));
        freeMemory = handle("H5free_memory", FunctionDescriptor.of(HERR, ADDR));
        ewalk = handle("H5Ewalk2", FunctionDescriptor.of(HERR, HID, ValueLayout.JAVA_INT, ADDR, ADDR));
        try {
            MethodHandle collect = MethodHandles.lookup().bind(this, "collectError",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            walkCallback = linker.upcallStub(collect, FunctionDescriptor.of(HERR, ValueLayout.JAVA_INT,
                    ADDR.withTargetLayout(ERROR_DESC), ADDR), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        nativeDouble = global("H5T_NATIVE_DOUBLE_g");
        nativeInt64 = global("H5T_NATIVE_INT64_g");
        fileDouble = global("H5T_IEEE_F64LE_g");
        fileInt64 = global("H5T_STD_I64LE_g");
        fileAccessClass = global("H5P_CLS_FILE_ACCESS_ID_g");
        datasetCreateClass = global("H5P_CLS_DATASET_CREATE_ID_g");
        long c = global("H5T_C_S1_g");
        try {
            long s = checkId((long) tcopy.invokeExact(c), "H5Tcopy");
            check((int) tsetSize.invokeExact(s, VARIABLE), "H5Tset_size");
            check((int) tsetCset.invokeExact(s, CSET_UTF8), "H5Tset_cset");
            utf8 = s;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
        scalesMissing = hl.missing();
        if (hl.lookup() == null) {
            dsSetScale = dsAttachScale = dsSetLabel = dsIsAttached = dsGetScaleName = dsGetLabel = null;
        } else {
            SymbolLookup h = hl.lookup();
            dsSetScale = linker.downcallHandle(h.find("H5DSset_scale").orElseThrow(), FunctionDescriptor.of(HERR, HID,
                    ADDR));
            dsAttachScale = linker.downcallHandle(h.find("H5DSattach_scale").orElseThrow(), FunctionDescriptor.of(HERR,
                    HID, HID, ValueLayout.JAVA_INT));
            dsSetLabel = linker.downcallHandle(h.find("H5DSset_label").orElseThrow(), FunctionDescriptor.of(HERR, HID,
                    ValueLayout.JAVA_INT, ADDR));
            dsIsAttached = linker.downcallHandle(h.find("H5DSis_attached").orElseThrow(), FunctionDescriptor.of(HERR,
                    HID, HID, ValueLayout.JAVA_INT));
            // ssize_t H5DSget_scale_name(did, char *name, size_t size); H5DSget_label(did, idx, label, size)
            dsGetScaleName = linker.downcallHandle(h.find("H5DSget_scale_name").orElseThrow(), FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, HID, ADDR, ValueLayout.JAVA_LONG));
            dsGetLabel = linker.downcallHandle(h.find("H5DSget_label").orElseThrow(), FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, HID, ValueLayout.JAVA_INT, ADDR, ValueLayout.JAVA_LONG));
        }
    }

    /**
     * The library, loaded on first use. Throws with a message saying how to install it when it is
     * not found; VTK output needs nothing of this.
     */
    static synchronized Hdf5Library get() throws IOException {
        if (instance != null) {
            return instance;
        }
        if (unavailable != null) {
            throw new IOException(unavailable);
        }
        String chosen = System.getenv(LIBRARY_VARIABLE);
        List<String> names = chosen != null && !chosen.isBlank() ? List.of(chosen) : CANDIDATES;
        var failures = new ArrayList<String>();
        for (String candidate : names) {
            SymbolLookup lookup;
            try {
                lookup = candidate.contains("/") ? SymbolLookup.libraryLookup(Path.of(candidate), Arena.global())
                        : SymbolLookup.libraryLookup(candidate, Arena.global());
            } catch (IllegalArgumentException e) {
                failures.add(candidate);
                continue;
            } catch (IllegalCallerException e) {
                unavailable = "HDF5 output calls the HDF5 library through FFM, which this JVM refuses: run it with"
                        + " --enable-native-access=ALL-UNNAMED (the heatgrid launcher does)";
                throw new IOException(unavailable, e);
            }
            instance = new Hdf5Library(lookup, candidate, highLevel(candidate));
            return instance;
        }
        unavailable = "HDF5 output needs the HDF Group's HDF5 library, version 1.10 or newer, which was not found"
                + " (tried " + String.join(", ", failures) + "): install it (Debian/Ubuntu: apt-get install"
                + " libhdf5-103-1, or libhdf5-310 on newer releases; Fedora: dnf install hdf5) or set "
                + LIBRARY_VARIABLE + " to its file. VTK output needs nothing";
        throw new IOException(unavailable);
    }

    /** The high-level library (lookup null) or why it is missing (missing null when found). */
    private record HighLevel(SymbolLookup lookup, String missing) {
    }

    /**
     * The high-level library of the same build as {@code core}: its name with _hl (libhdf5.so.310 ->
     * libhdf5_hl.so.310), beside it if {@code core} is a file, else the usual names. A high-level library
     * of another build would bring its own core along, whose identifiers are not ours: its first call then
     * fails, and the recording with it, saying so.
     */
    private static HighLevel highLevel(String core) {
        String chosen = System.getenv(HL_LIBRARY_VARIABLE);
        var names = new ArrayList<String>();
        if (chosen != null && !chosen.isBlank()) {
            names.add(chosen);
        } else {
            Path file = Path.of(core);
            String sibling = file.getFileName().toString().replaceFirst("^(lib)?hdf5(_serial)?", "$1hdf5$2_hl");
            names.add(file.getParent() == null ? sibling : file.resolveSibling(sibling).toString());
            if (file.getParent() == null) {
                names.addAll(HL_CANDIDATES);
            }
        }
        for (String candidate : names) {
            try {
                SymbolLookup hl = candidate.contains("/") ? SymbolLookup.libraryLookup(Path.of(candidate), Arena.global())
                        : SymbolLookup.libraryLookup(candidate, Arena.global());
                if (HL_FUNCTIONS.stream().allMatch(f -> hl.find(f).isPresent())) {
                    return new HighLevel(hl, null);
                }
            } catch (IllegalArgumentException e) {
                // not this one
            }
        }
        return new HighLevel(null, "the HDF5 high-level library (libhdf5_hl, Debian/Ubuntu: libhdf5-hl-100, or"
                + " libhdf5-hl-310 on newer releases; set " + HL_LIBRARY_VARIABLE + " to its file) was not found, so x,"
                + " y and time are written as datasets but not attached to the fields' dimensions as HDF5 dimension"
                + " scales");
    }

    /** Whether the library can be loaded here (tests skip HDF5 checks where it cannot). */
    static boolean available() {
        try {
            get();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Why dimension scales cannot be written here, or null when they can. */
    String scalesMissing() {
        return scalesMissing;
    }

    /** For messages and the file's provenance: "libhdf5_serial.so.103 1.10.8". */
    String describe() {
        return name + " " + version;
    }

    String version() {
        return version;
    }

    // ------------------------------------------------------------------------------------------
    // Files

    /**
     * Creates a file in the 1.10 format, the oldest that SWMR (single writer, multiple readers) works
     * with. {@code replace} truncates an existing file; otherwise an existing file is an error.
     */
    synchronized long createFile(Path path, boolean replace) throws IOException {
        return run(arena -> {
            try (Id fapl = new Id(checkId((long) pcreate.invokeExact(fileAccessClass), "H5Pcreate"), pclose, "H5Pclose")) {
                check((int) psetLibver.invokeExact(fapl.id, LIBVER_V110, LIBVER_V110), "H5Pset_libver_bounds");
                return checkId((long) fcreate.invokeExact(arena.allocateFrom(path.toString()),
                        replace ? F_ACC_TRUNC : F_ACC_EXCL, 0L, fapl.id), "creating " + path);
            }
        });
    }

    synchronized long openFile(Path path, int flags) throws IOException {
        return run(arena -> checkId((long) fopen.invokeExact(arena.allocateFrom(path.toString()), flags, 0L),
                "opening " + path));
    }

    /**
     * From now on readers may open the file with SWMR read access while it grows, and the file on
     * disk stays consistent at every instant: a crash leaves every frame flushed before it.
     */
    synchronized void startSwmrWrite(long file) throws IOException {
        run(arena -> check((int) fstartSwmr.invokeExact(file), "H5Fstart_swmr_write"));
    }

    synchronized void flush(long file) throws IOException {
        run(arena -> check((int) fflush.invokeExact(file, 0 /* H5F_SCOPE_LOCAL */), "H5Fflush"));
    }

    synchronized void closeFile(long file) throws IOException {
        run(arena -> check((int) fclose.invokeExact(file), "H5Fclose"));
    }

    // ------------------------------------------------------------------------------------------
    // Datasets

    /**
     * Creates a dataset of {@code dims}; {@code growable} makes the first dimension unlimited (frames
     * are appended along it) and {@code chunk} sets the chunk shape (null: contiguous).
     */
    synchronized long createDataset(long location, String name, long fileType, long[] dims, boolean growable,
                                    long[] chunk) throws IOException {
        return run(arena -> {
            long[] max = dims.clone();
            if (growable) {
                max[0] = UNLIMITED;
            }
            try (Id space = new Id(checkId((long) screateSimple.invokeExact(dims.length, sizes(arena, dims),
                    sizes(arena, max)), "H5Screate_simple"), sclose, "H5Sclose");
                 Id dcpl = new Id(checkId((long) pcreate.invokeExact(datasetCreateClass), "H5Pcreate"), pclose, "H5Pclose")) {
                if (chunk != null) {
                    check((int) psetChunk.invokeExact(dcpl.id, chunk.length, sizes(arena, chunk)), "H5Pset_chunk");
                }
                return checkId((long) dcreate.invokeExact(location, arena.allocateFrom(name), fileType, space.id, 0L,
                        dcpl.id, 0L), "creating dataset " + name);
            }
        });
    }

    synchronized long openDataset(long location, String name) throws IOException {
        return run(arena -> checkId((long) dopen.invokeExact(location, arena.allocateFrom(name), 0L),
                "opening dataset " + name));
    }

    synchronized void setExtent(long dataset, long[] dims) throws IOException {
        run(arena -> check((int) dsetExtent.invokeExact(dataset, sizes(arena, dims)), "H5Dset_extent"));
    }

    synchronized long[] dims(long dataset) throws IOException {
        return run(arena -> {
            try (Id space = new Id(checkId((long) dgetSpace.invokeExact(dataset), "H5Dget_space"), sclose, "H5Sclose")) {
                MemorySegment dims = arena.allocate(HSIZE, 8);
                int rank = check((int) sgetDims.invokeExact(space.id, dims, MemorySegment.NULL),
                        "H5Sget_simple_extent_dims");
                return dims.asSlice(0, rank * 8L).toArray(ValueLayout.JAVA_LONG);
            }
        });
    }

    /** Writes {@code data} (of memory type {@code memType}) into the block at {@code start} of size {@code count}. */
    synchronized void write(long dataset, long memType, long[] start, long[] count, MemorySegment data)
            throws IOException {
        transfer(dataset, memType, start, count, data, true);
    }

    synchronized void read(long dataset, long memType, long[] start, long[] count, MemorySegment into)
            throws IOException {
        transfer(dataset, memType, start, count, into, false);
    }

    private void transfer(long dataset, long memType, long[] start, long[] count, MemorySegment data, boolean write)
            throws IOException {
        run(arena -> {
            try (Id fileSpace = new Id(checkId((long) dgetSpace.invokeExact(dataset), "H5Dget_space"), sclose,
                    "H5Sclose")) {
                check((int) sselectHyperslab.invokeExact(fileSpace.id, SELECT_SET, sizes(arena, start),
                        MemorySegment.NULL, sizes(arena, count), MemorySegment.NULL), "H5Sselect_hyperslab");
                try (Id memSpace = new Id(checkId((long) screateSimple.invokeExact(count.length, sizes(arena, count),
                        MemorySegment.NULL), "H5Screate_simple"), sclose, "H5Sclose")) {
                    return write
                            ? check((int) dwrite.invokeExact(dataset, memType, memSpace.id, fileSpace.id, 0L, data),
                                    "H5Dwrite")
                            : check((int) dread.invokeExact(dataset, memType, memSpace.id, fileSpace.id, 0L, data),
                                    "H5Dread");
                }
            }
        });
    }

    /** Writes one variable-length UTF-8 string at {@code index} of a 1-D string dataset. */
    synchronized void writeString(long dataset, long index, String value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            transfer(dataset, utf8, new long[] {index}, new long[] {1}, pointerTo(arena, value), true);
        }
    }

    synchronized String readString(long dataset, long index) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pointer = arena.allocate(ADDR);
            transfer(dataset, utf8, new long[] {index}, new long[] {1}, pointer, false);
            return takeString(pointer.get(ADDR, 0));
        }
    }

    synchronized void closeDataset(long dataset) throws IOException {
        run(arena -> check((int) dclose.invokeExact(dataset), "H5Dclose"));
    }

    // ------------------------------------------------------------------------------------------
    // Dimension scales (H5DS, the HDF Group's convention: CLASS, NAME, DIMENSION_LIST, REFERENCE_LIST
    // attributes, which only the library writes). Before SWMR starts, like every attribute.

    /** Makes a 1-D dataset a dimension scale named {@code dimension}. Only where {@link #scalesMissing()} is null. */
    synchronized void makeScale(long dataset, String dimension) throws IOException {
        run(arena -> check((int) dsSetScale.invokeExact(dataset, arena.allocateFrom(dimension)), "H5DSset_scale"));
    }

    /** Attaches {@code scale} to dimension {@code index} of {@code dataset} and labels that dimension. */
    synchronized void attachScale(long dataset, long scale, int index, String label) throws IOException {
        run(arena -> {
            check((int) dsAttachScale.invokeExact(dataset, scale, index), "H5DSattach_scale");
            return check((int) dsSetLabel.invokeExact(dataset, index, arena.allocateFrom(label)), "H5DSset_label");
        });
    }

    /** Whether {@code scale} is attached to dimension {@code index} of {@code dataset}. */
    synchronized boolean scaleAttached(long dataset, long scale, int index) throws IOException {
        return run(arena -> check((int) dsIsAttached.invokeExact(dataset, scale, index), "H5DSis_attached") > 0);
    }

    /** The dimension name a scale was given. */
    synchronized String scaleName(long scale) throws IOException {
        return run(arena -> {
            MemorySegment name = arena.allocate(256);
            long length = (long) dsGetScaleName.invokeExact(scale, name, name.byteSize());
            if (length < 0) {
                throw failure("H5DSget_scale_name");
            }
            return name.getString(0);
        });
    }

    /** The label of dimension {@code index} of {@code dataset}. */
    synchronized String dimensionLabel(long dataset, int index) throws IOException {
        return run(arena -> {
            MemorySegment label = arena.allocate(256);
            long length = (long) dsGetLabel.invokeExact(dataset, index, label, label.byteSize());
            if (length < 0) {
                throw failure("H5DSget_label");
            }
            return label.getString(0);
        });
    }

    // ------------------------------------------------------------------------------------------
    // Attributes (written before SWMR starts: attributes cannot be added afterwards)

    synchronized void writeAttribute(long object, String name, double... values) throws IOException {
        attribute(object, name, fileDouble, nativeDouble, values.length, MemorySegment.ofArray(values));
    }

    synchronized void writeAttribute(long object, String name, long... values) throws IOException {
        attribute(object, name, fileInt64, nativeInt64, values.length, MemorySegment.ofArray(values));
    }

    synchronized void writeAttribute(long object, String name, String value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            attribute(object, name, utf8, utf8, 0, pointerTo(arena, value));
        }
    }

    /** {@code length} 0 means a scalar attribute. */
    private void attribute(long object, String name, long fileType, long memType, int length, MemorySegment data)
            throws IOException {
        run(arena -> {
            long spaceId = length == 0 ? checkId((long) screate.invokeExact(SCALAR), "H5Screate")
                    : checkId((long) screateSimple.invokeExact(1, sizes(arena, new long[] {length}), MemorySegment.NULL),
                    "H5Screate_simple");
            try (Id space = new Id(spaceId, sclose, "H5Sclose");
                 Id attr = new Id(checkId((long) acreate.invokeExact(object, arena.allocateFrom(name), fileType, space.id,
                         0L, 0L), "creating attribute " + name), aclose, "closing attribute " + name)) {
                return check((int) awrite.invokeExact(attr.id, memType, data), "writing attribute " + name);
            }
        });
    }

    synchronized double[] readDoubleAttribute(long object, String name, int length) throws IOException {
        double[] values = new double[length];
        readAttribute(object, name, nativeDouble, MemorySegment.ofArray(values));
        return values;
    }

    synchronized long[] readLongAttribute(long object, String name, int length) throws IOException {
        long[] values = new long[length];
        readAttribute(object, name, nativeInt64, MemorySegment.ofArray(values));
        return values;
    }

    synchronized String readStringAttribute(long object, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pointer = arena.allocate(ADDR);
            readAttribute(object, name, utf8, pointer);
            return takeString(pointer.get(ADDR, 0));
        }
    }

    private void readAttribute(long object, String name, long memType, MemorySegment into) throws IOException {
        run(arena -> {
            try (Id attr = new Id(checkId((long) aopen.invokeExact(object, arena.allocateFrom(name), 0L),
                    "opening attribute " + name), aclose, "closing attribute " + name)) {
                return check((int) aread.invokeExact(attr.id, memType, into), "reading attribute " + name);
            }
        });
    }

    /** A {@code char *} to a UTF-8 copy of {@code value}, as variable-length strings are passed. */
    private static MemorySegment pointerTo(Arena arena, String value) {
        MemorySegment pointer = arena.allocate(ADDR);
        pointer.set(ADDR, 0, arena.allocateFrom(value));
        return pointer;
    }

    /** Reads a string the library allocated, then gives its memory back. */
    private String takeString(MemorySegment pointer) throws IOException {
        if (pointer.equals(MemorySegment.NULL)) {
            return null;
        }
        String value = cString(pointer);
        run(arena -> check((int) freeMemory.invokeExact(pointer), "H5free_memory"));
        return value;
    }

    /**
     * A temporary identifier (dataspace, property list, attribute), closed by try-with-resources: a
     * failed close is an IOException too, unless the body failed first (then it is suppressed under
     * that failure, which says more).
     */
    private final class Id implements AutoCloseable {
        final long id;
        private final MethodHandle closer;
        private final String what;

        Id(long id, MethodHandle closer, String what) {
            this.id = id;
            this.closer = closer;
            this.what = what;
        }

        @Override
        public void close() throws IOException {
            run(arena -> check((int) closer.invokeExact(id), what));
        }
    }

    /** Native calls, with a confined arena for their arguments. */
    @FunctionalInterface
    private interface NativeCall<T> {
        T call(Arena arena) throws Throwable;
    }

    /** Runs native calls; failures the checks found arrive as IOException, anything else as it was. */
    private static <T> T run(NativeCall<T> body) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return body.call(arena);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t); // invokeExact declares Throwable; the handles throw nothing else
        }
    }

    // ------------------------------------------------------------------------------------------

    private MethodHandle handle(String symbol, FunctionDescriptor descriptor, Linker.Option... options)
            throws IOException {
        MemorySegment address = lookup.find(symbol).orElseThrow(() -> new IOException("the HDF5 library " + name
                + " has no function " + symbol + "; heatgrid needs HDF5 1.10 or newer"));
        return linker.downcallHandle(address, descriptor, options);
    }

    /** A predefined identifier (H5T_NATIVE_DOUBLE and the like are globals the library sets in H5open). */
    private long global(String symbol) throws IOException {
        MemorySegment address = lookup.find(symbol).orElseThrow(() -> new IOException("the HDF5 library " + name
                + " has no symbol " + symbol));
        return address.reinterpret(Long.BYTES).get(HID, 0);
    }

    private static MemorySegment sizes(Arena arena, long[] values) {
        return arena.allocateFrom(ValueLayout.JAVA_LONG, values);
    }

    private long checkId(long id, String what) throws IOException {
        if (id < 0) {
            throw failure(what);
        }
        return id;
    }

    private int check(int status, String what) throws IOException {
        if (status < 0) {
            throw failure(what);
        }
        return status;
    }

    /** The library's error stack, innermost cause first, as one line. */
    private IOException failure(String what) {
        errors.clear();
        try {
            int ignored = (int) ewalk.invokeExact(0L, 0 /* H5E_WALK_UPWARD */, walkCallback, MemorySegment.NULL);
        } catch (Throwable t) {
            return new IOException("HDF5: " + what + " failed");
        }
        String detail = errors.isEmpty() ? "" : ": " + String.join("; ", errors.reversed());
        return new IOException("HDF5 " + version + ": " + what + " failed" + detail);
    }

    /**
     * Upcall for H5Ewalk2: keeps each level's description. It must not throw (an exception escaping an
     * upcall ends the JVM), so the C strings are read to their terminator, however long (file names
     * make them long), and anything else that goes wrong only loses this level's words.
     */
    @SuppressWarnings("unused")
    private int collectError(int n, MemorySegment description, MemorySegment clientData) {
        try {
            String text = cString(description.get(ADDR, ERROR_DESC.byteSize() - ADDR.byteSize()));
            String where = cString(description.get(ADDR, 32));
            if (errors.size() < 8) {
                errors.add(where.isEmpty() ? text : where + "(): " + text);
            }
        } catch (RuntimeException e) {
            errors.add("(an unreadable error description: " + e + ")");
        }
        return 0;
    }

    /** A NUL-terminated string the library owns; "" for NULL. */
    private static String cString(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? "" : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
