/**
 * Grids beyond one process: tiles on several processes and hosts, halos over Aeron, step agreement,
 * fault detection, the gatherer. The solver knows only its TileLink and TilePlacement hooks.
 */
@SuppressWarnings("requires-automatic") // Aeron names its module only in its manifest
module dev.heatgrid.tiles {
    // TileRun's API speaks of the solver's configuration and results (and through it, the segment's).
    requires transitive dev.heatgrid.solver;
    // Aeron and Agrona: the halo transport and the embedded media driver.
    requires io.aeron.all;
    // TileLauncher starts tile JVMs with this JVM's own options.
    requires java.management;

    exports dev.heatgrid.tiles;
}
