package dev.heatgrid.solver.spi;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.OptionalInt;

/**
 * A numerical scheme the solver can run: the plug-in point of heatgrid. Implementations are found
 * with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.heatgrid.solver.spi.Kernel} of its jar, and give it a public
 * no-argument constructor. See docs/KERNELS.md for a complete example.
 *
 * <p>A kernel describes itself (name, fields, parameters, stability rule) and, once prepared for a
 * grid, steps bands of rows from the published frame into the back buffer. The engine owns
 * everything else: threads and bands, boundaries (neighbour mapping and Dirichlet nodes), heater
 * cells, statistics, checksums, publication and steering.
 */
public interface Kernel {
    /** Unique name users select it by ({@code --kernel NAME}); at most 63 bytes. */
    String name();

    /** One line for {@code heatgrid kernels}. */
    String description();

    /** The fields of each frame, in storage order; the first is the one initial conditions set. */
    default List<FieldSpec> fields() {
        return List.of(FieldSpec.evolving("T", "temperature"));
    }

    /** The parameters users may set and steer, with defaults and ranges. */
    List<ParameterSpec> parameters();

    /** The largest stable time step. */
    StabilityRule stability();

    /**
     * Refuses a set-up this kernel cannot run, before any segment is created: throw an
     * {@link IllegalArgumentException} whose message says what is wrong and what is allowed.
     */
    default void validate(GridGeometry grid, Boundary boundary, Parameters params) {
    }

    /**
     * Adjusts the initial frame after the engine has set the first field from the user's initial
     * condition and every other field to its {@link FieldSpec#initialValue}. Default: nothing.
     */
    default void initialize(GridGeometry grid, Parameters params, List<MemorySegment> fields) {
    }

    /**
     * How far a step reaches: the new value of node (x, y) depends only on the source values of
     * nodes (x', y') with |x' - x| <= r and |y' - y| <= r (all passes of a step together), and on
     * nothing about the node's position besides those values. Declaring it lets the kernel run on
     * the tiles of a grid split over several processes (docs/DISTRIBUTED.md): each tile receives r
     * rows and columns of its neighbours' nodes before every step. It also lets the engine, with
     * {@code --publish-every} k &gt;= 4 and a stepper of one pass over rows, run the k steps between
     * publications block by block of rows while a block is in cache (temporal blocking), bit for bit
     * what stepping one at a time gives (docs/KERNELS.md). Empty (the default): the kernel couples
     * distant nodes within a step (line solves, transforms), is refused on tiles and never fused.
     */
    default OptionalInt stencilRadius() {
        return OptionalInt.empty();
    }

    /**
     * Whether the kernel, though it declares no {@link #stencilRadius}, steps a tile of a grid split
     * over several processes exactly: its passes solve along whole grid lines, and it continues
     * each line's recurrence across the tiles through {@link KernelSetup#tileLines} (carries handed
     * from tile to tile during the pass), reading one node beyond the tile (radius 1) from the halo
     * the tiles trade before every step. Such a kernel is prepared with its tile's
     * {@link TileLines} on a tile, and is stepped there by one thread. Default: false.
     */
    default boolean solvesLinesAcrossTiles() {
        return false;
    }

    /** Precomputes what stepping needs; called again whenever a parameter or dt is steered. */
    Stepper prepare(KernelSetup setup);
}
