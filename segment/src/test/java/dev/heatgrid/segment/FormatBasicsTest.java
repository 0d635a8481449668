package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pure functions of the format: checksum, spec validation, names. */
class FormatBasicsTest {
    @Test
    void checksumHasAFixedKnownValue() {
        // Pinned so other-language readers (examples/python) can check their implementation.
        // cells 1.0, 2.0, 3.0: words 0x3FF0.., 0x4000.., 0x4008..; MIX = 0x9E3779B97F4A7C15
        long expected = 0x3FF0000000000000L + (0x4000000000000000L ^ FrameChecksum.MIX)
                + (0x4008000000000000L ^ (2 * FrameChecksum.MIX));
        assertEquals(expected, FrameChecksum.of(new double[] {1.0, 2.0, 3.0}));
    }

    @Test
    void partialChecksumsOfAnySplitAddUp() {
        SplittableRandom random = new SplittableRandom(7);
        double[] cells = random.doubles(10_001).toArray();
        long whole = FrameChecksum.of(cells);
        MemorySegment data = MemorySegment.ofArray(cells);
        for (int split : new int[] {0, 1, 4999, 10_000, 10_001}) {
            long left = FrameChecksum.partial(data, 0, split);
            long right = FrameChecksum.partial(data.asSlice(split * 8L), split, cells.length - split);
            assertEquals(whole, FrameChecksum.combine(left, right), "split at " + split);
        }
        double[] swapped = cells.clone();
        swapped[10] = cells[11];
        swapped[11] = cells[10];
        assertNotEquals(whole, FrameChecksum.of(swapped), "swapping two cells went unnoticed");
        double[] flipped = cells.clone();
        flipped[500] = Math.nextUp(flipped[500]);
        assertNotEquals(whole, FrameChecksum.of(flipped), "a one-bit change went unnoticed");
    }

    @Test
    void vectorAndScalarLoopsAgreeOnEveryAlignmentAndLength() {
        ChecksumLoop best = ChecksumLoop.best();
        assertEquals("VectorChecksumLoop", best.getClass().getSimpleName(), "tests run with the incubator module");
        ChecksumLoop scalar = new ScalarChecksumLoop();
        double[] cells = new SplittableRandom(3).doubles(5000).toArray();
        MemorySegment data = MemorySegment.ofArray(cells);
        // The vector loop reads each kind of memory its own way: native (the solver's frames), a heap
        // array of doubles (a reader's copy) and any other heap memory.
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment offHeap = arena.allocate(data.byteSize(), 64).copyFrom(data);
            MemorySegment words = MemorySegment.ofArray(new long[cells.length]).copyFrom(data);
            for (int first : new int[] {0, 1, 7, 8, 13, 4000}) {
                for (int count : new int[] {0, 1, 7, 8, 9, 63, 64, 65, 1000 - first % 3}) {
                    long expected = scalar.partial(data.asSlice(first * 8L, count * 8L), first, count);
                    for (MemorySegment memory : List.of(data, offHeap, words)) {
                        MemorySegment slice = memory.asSlice(first * 8L, count * 8L);
                        assertEquals(expected, best.partial(slice, first, count),
                                (memory.isNative() ? "native" : memory.heapBase().orElseThrow().getClass().getSimpleName())
                                        + ", first " + first + ", count " + count);
                    }
                }
            }
            // A reader's copy: from a mapping (native) into a heap array, in several chunks, one not whole.
            double[] readersCopy = new double[cells.length];
            assertEquals(FrameChecksum.of(cells), FrameChecksum.copyAndSum(offHeap, MemorySegment.ofArray(readersCopy),
                    cells.length));
            assertEquals(java.util.Arrays.toString(cells), java.util.Arrays.toString(readersCopy));
        }
        double[] copy = new double[cells.length];
        assertEquals(FrameChecksum.of(cells),
                FrameChecksum.copyAndSum(data, MemorySegment.ofArray(copy), cells.length));
        assertEquals(java.util.Arrays.toString(cells), java.util.Arrays.toString(copy));
    }

    @Test
    void statisticsAreThoseOfTheCells() {
        FieldStats stats = FrameStatistics.of(new double[] {1, 2, 3, 6}, 0.5, 2.0);
        assertEquals(1, stats.min());
        assertEquals(6, stats.max());
        assertEquals(3, stats.mean());
        assertEquals(12, stats.total());
    }

    @Test
    void specRejectsWhatTheFormatCannotHoldNamingTheField() {
        assertMessage("nx is 0; allowed 1..1048576", () -> SegmentSpec.of(0, 4, "T"));
        assertMessage("buffers is 1; allowed 2..16", () -> SegmentSpec.of(4, 4, "T").withBuffers(1));
        assertMessage("field name 'T' appears twice", () -> SegmentSpec.of(4, 4, "T", "T"));
        assertMessage("field name '1x' must start", () -> SegmentSpec.of(4, 4, "1x"));
        assertMessage("dx is -1.0", () -> SegmentSpec.of(4, 4, "T").withSpacing(-1, 1, 0));
        assertMessage("parameter 'a' has a line break", () -> SegmentSpec.of(4, 4, "T").withKernel("k", "",
                Map.of("a", "1\n2")));
        assertMessage("does not fit in the 4x4 global grid",
                () -> SegmentSpec.of(4, 4, "T").withTile(new Tile(1, 0, 4, 4)));
        SegmentSpec tile = SegmentSpec.of(4, 4, "T").withTile(new Tile(4, 0, 8, 4));
        assertEquals(8, tile.tile().globalNx());
    }

    @Test
    void paramsRoundTripInOrder() {
        var params = new java.util.LinkedHashMap<String, String>();
        params.put("alpha", "1.5");
        params.put("init", "sine:1,2");
        assertEquals("alpha=1.5\ninit=sine:1,2\n", SegmentSpec.encodeParams(params));
        assertEquals(List.copyOf(params.entrySet()),
                List.copyOf(SegmentSpec.decodeParams(SegmentSpec.encodeParams(params)).entrySet()));
    }

    @Test
    void bareNamesLiveInTheDefaultDirectoryAndPathsStayPaths() {
        assertEquals(SegmentNames.defaultDirectory().resolve("plate.hgrid"), SegmentNames.resolve("plate"));
        assertEquals(SegmentNames.defaultDirectory().resolve("plate.hgrid"), SegmentNames.resolve("plate.hgrid"),
                "a trailing .hgrid is not added twice");
        assertEquals(Path.of("./plate"), SegmentNames.resolve("./plate"));
        assertEquals(Path.of("/tmp/x.hgrid"), SegmentNames.resolve("/tmp/x.hgrid"));
        assertThrows(IllegalArgumentException.class, () -> SegmentNames.resolve(""));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
