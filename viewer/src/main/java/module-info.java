/**
 * A reader: follows a segment through the solver's life, reduces and colours its frames, and shows
 * them in a window (Swing and JFreeChart), as PNG snapshots, time-lapses and .npy files. Depends on
 * the segment only, never on the solver. One package: the CLI, serve (web) and the benchmarks use it.
 */
@SuppressWarnings("requires-automatic") // JFreeChart 1.5 names its module only in its manifest
module dev.heatgrid.viewer {
    // Frames, readers and headers of the segment appear in this module's API.
    requires transitive dev.heatgrid.segment;
    // So do images and windows (RenderedFrame, ViewerWindow).
    requires transitive java.desktop;
    requires org.jfree.jfreechart;

    exports dev.heatgrid.viewer;
}
