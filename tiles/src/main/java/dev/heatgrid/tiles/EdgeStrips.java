package dev.heatgrid.tiles;

import dev.heatgrid.solver.TilePlacement;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.EdgeCondition;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.HeldNodes;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Sweep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes the nodes within the stencil radius r of each halo edge, which the kernel's pass over
 * the tile gets wrong (it reads the edge node itself where the neighbour's node belongs).
 *
 * <p>For each halo edge a small <em>strip</em> grid covers the r nodes along that edge plus r more on
 * every side where the grid goes on, filled from the tile and the neighbours' halo blocks; the same
 * kernel, prepared for the strip's size, steps the strip; the r kept rows or columns are then
 * exactly what a one-process run computes there, because a declared radius means a node's new
 * value depends only on the values within r of it (docs/KERNELS.md). Where a strip ends at an edge
 * of the global grid, the strip keeps that edge's condition, so it sees the same boundary too.
 * The engine copies the kept nodes into the frame ({@link #fix}) before boundaries, heaters and
 * statistics: no other part of the step loop knows about tiles.
 */
final class EdgeStrips implements AutoCloseable {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final TilePlacement placement;
    private final HaloBlocks halos;
    private final boolean[] evolving;
    private final List<Strip> strips = new ArrayList<>();
    private Arena arena;

    EdgeStrips(TilePlacement placement, HaloBlocks halos, boolean[] evolving) {
        this.placement = placement;
        this.halos = halos;
        this.evolving = evolving.clone();
        int nx = placement.nx();
        int ny = placement.ny();
        int r = halos.radius();
        for (Edge e : Edge.values()) {
            if (!placement.hasHalo(e)) {
                continue;
            }
            int kx0 = e == Edge.EAST ? nx - r : 0;
            int kx1 = e == Edge.WEST ? r : nx;
            int ky0 = e == Edge.NORTH ? ny - r : 0;
            int ky1 = e == Edge.SOUTH ? r : ny;
            strips.add(new Strip(kx0, ky0, kx1, ky1));
        }
    }

    /** (Re)prepares each strip's stepper for the kernel and the parameters now in effect. */
    void prepare(Kernel kernel, KernelSetup tileSetup) {
        Arena old = arena;
        arena = Arena.ofShared();
        long bytes = 0;
        for (Strip s : strips) {
            bytes += s.frameBytes();
        }
        MemorySegment frames = bytes == 0 ? MemorySegment.NULL : mapped(arena, bytes);
        long at = 0;
        for (Strip s : strips) {
            s.prepare(kernel, tileSetup, arena, frames.asSlice(at, s.frameBytes()));
            at += s.frameBytes();
        }
        if (old != null) {
            old.close();
        }
    }

    /**
     * Memory for the strips' frames, mapped from a (deleted) file like the tile's own frames are.
     * The kernel's code is shared by the tile and its strips, and the Vector API compiles a load or
     * store into a plain instruction only where one kind of memory segment reaches it: with native
     * strip memory beside the mapped tile frames, a 2048-wide tile spent ~45% of its time in the
     * out-of-line fallback (JFR) and its step took ~3x as long.
     */
    private static MemorySegment mapped(Arena arena, long bytes) {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Path file = Files.createTempFile(dir, "heatgrid-strips-", ".tmp");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            } finally {
                Files.deleteIfExists(file); // the mapping stays; the pages go with it
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + bytes + " bytes for a tile's edge strips in " + dir, e);
        }
    }

    /** Steps every strip from state {@code step} (the tile's source and the halo blocks of that state). */
    void compute(List<MemorySegment> source, long step, double time) {
        for (Strip s : strips) {
            s.compute(source, step, time);
        }
    }

    /** Copies the kept nodes of rows y0..y1-1 into the target frame (evolving fields only). */
    void fix(List<MemorySegment> targets, int y0, int y1) {
        for (Strip s : strips) {
            s.fix(targets, y0, y1);
        }
    }

    @Override
    public void close() {
        for (Strip s : strips) {
            s.closeStepper();
        }
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }

    /** One strip: kept nodes kx0..kx1-1 x ky0..ky1-1 of the tile, stepped inside a padded grid. */
    private final class Strip {
        final int kx0;
        final int ky0;
        final int kx1;
        final int ky1;
        /** The strip grid's first node in tile coordinates, and its size. */
        final int sx0;
        final int sy0;
        final int width;
        final int height;
        final Boundary stripEdges;
        Stepper stepper;
        GridGeometry grid;
        List<MemorySegment> sources;
        /** The strip's new state; {@link #fix} copies the kept nodes from here until the next {@link #compute}. */
        List<MemorySegment> targets;

        Strip(int kx0, int ky0, int kx1, int ky1) {
            this.kx0 = kx0;
            this.ky0 = ky0;
            this.kx1 = kx1;
            this.ky1 = ky1;
            int r = halos.radius();
            int nx = placement.nx();
            int ny = placement.ny();
            int west = halos.continues(Edge.WEST) ? -r : 0;
            int east = halos.continues(Edge.EAST) ? nx + r : nx;
            int south = halos.continues(Edge.SOUTH) ? -r : 0;
            int north = halos.continues(Edge.NORTH) ? ny + r : ny;
            this.sx0 = Math.max(west, kx0 - r);
            this.sy0 = Math.max(south, ky0 - r);
            this.width = Math.min(east, kx1 + r) - sx0;
            this.height = Math.min(north, ky1 + r) - sy0;
            // A strip side on the tile's edge where the grid ends keeps that edge's condition; any
            // other side is padded with real nodes, so what the kernel reads beyond it never matters.
            Boundary tile = placement.edges();
            this.stripEdges = new Boundary(
                    sy0 + height == ny && !halos.continues(Edge.NORTH) ? tile.north() : EdgeCondition.NEUMANN,
                    sy0 == 0 && !halos.continues(Edge.SOUTH) ? tile.south() : EdgeCondition.NEUMANN,
                    sx0 == 0 && !halos.continues(Edge.WEST) ? tile.west() : EdgeCondition.NEUMANN,
                    sx0 + width == nx && !halos.continues(Edge.EAST) ? tile.east() : EdgeCondition.NEUMANN);
        }

        /** Bytes of this strip's source and target frames, all fields, each field 64-byte aligned. */
        long frameBytes() {
            return 2L * evolving.length * fieldBytes();
        }

        private long fieldBytes() {
            return ((long) width * height * Double.BYTES + 63) & ~63L;
        }

        void prepare(Kernel kernel, KernelSetup tileSetup, Arena memory, MemorySegment frames) {
            closeStepper();
            grid = new GridGeometry(width, height, tileSetup.grid().dx(), tileSetup.grid().dy());
            stepper = kernel.prepare(new KernelSetup(grid, stripEdges, tileSetup.params(), tileSetup.dt(),
                    HeldNodes.NONE, memory));
            var s = new ArrayList<MemorySegment>();
            var t = new ArrayList<MemorySegment>();
            long field = fieldBytes();
            long used = (long) width * height * Double.BYTES;
            for (int f = 0; f < evolving.length; f++) {
                s.add(frames.asSlice(2 * f * field, used));
                t.add(frames.asSlice((2 * f + 1) * field, used));
            }
            sources = List.copyOf(s);
            targets = List.copyOf(t);
        }

        void compute(List<MemorySegment> source, long step, double time) {
            for (int f = 0; f < evolving.length; f++) {
                MemorySegment into = sources.get(f);
                for (int y = 0; y < height; y++) {
                    halos.row(source, f, sy0 + y, sx0, sx0 + width, into, (long) y * width);
                }
            }
            StepFrame frame = new StepFrame(grid, stripEdges, sources, targets, step, time);
            for (int p = 0; p < stepper.passes(); p++) {
                stepper.step(frame, p, 0, stepper.sweep(p) == Sweep.ROWS ? height : width);
            }
        }

        void fix(List<MemorySegment> frame, int y0, int y1) {
            int a = Math.max(y0, ky0);
            int b = Math.min(y1, ky1);
            int keptWidth = kx1 - kx0;
            int nx = placement.nx();
            for (int f = 0; f < evolving.length; f++) {
                if (!evolving[f]) {
                    continue;
                }
                MemorySegment to = frame.get(f);
                MemorySegment from = targets.get(f);
                for (int y = a; y < b; y++) {
                    // Element by element: an east or west strip keeps r nodes a row, too few for a bulk copy's set-up.
                    long i = (long) (y - sy0) * width + (kx0 - sx0);
                    long row = (long) y * nx + kx0;
                    for (int x = 0; x < keptWidth; x++) {
                        to.setAtIndex(CELL, row + x, from.getAtIndex(CELL, i + x));
                    }
                }
            }
        }

        void closeStepper() {
            if (stepper != null) {
                stepper.close();
                stepper = null;
            }
        }
    }
}
