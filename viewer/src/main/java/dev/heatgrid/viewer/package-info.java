/**
 * The viewer: a read-only live heat map of a segment, and headless PNGs of it. Depends on the
 * segment module and JFreeChart only, never on the solver.
 *
 * <h2>For the command line</h2>
 * <ul>
 *   <li>Options: {@link dev.heatgrid.viewer.ViewerOptions} (field, colour map, range, fps,
 *       downsampling) with the parsers {@link dev.heatgrid.viewer.ColorMap#parse},
 *       {@link dev.heatgrid.viewer.ValueRange#parse} ({@code MIN:MAX}),
 *       {@link dev.heatgrid.viewer.ViewerOptions#parseFps}, {@link dev.heatgrid.viewer.Reduction#parse},
 *       {@link dev.heatgrid.viewer.Cadence#parse} ({@code N} generations or {@code 2s}) and
 *       {@link dev.heatgrid.viewer.ImageSize#parse} ({@code 1000x800}). Each throws an
 *       {@link java.lang.IllegalArgumentException} whose message names the bad value and what is allowed.</li>
 *   <li>A window: {@link dev.heatgrid.viewer.ViewerWindow#displayAvailable()}, then
 *       {@link dev.heatgrid.viewer.ViewerWindow#open} and {@link dev.heatgrid.viewer.ViewerWindow#awaitClosed()}.</li>
 *   <li>One PNG: {@link dev.heatgrid.viewer.Snapshot#write} ({@code view --out}, {@code snapshot}, {@code demo}).</li>
 *   <li>A time-lapse: {@link dev.heatgrid.viewer.TimeLapse#run} ({@code view --every N --out DIR}).</li>
 * </ul>
 *
 * <h2>How a frame gets on screen</h2>
 * {@code ViewerLoop} (one thread) follows the segment through the solver's life
 * ({@code SegmentFollower}), waits on the segment's futex for a new generation, and at most
 * {@code fps} times a second has {@link dev.heatgrid.viewer.HeatmapRenderer} read the newest frame in
 * place from the read-only mapping, reduced to the plot's pixel size and checksummed in the same
 * pass, and coloured into an {@code int[]}-backed image. A sink shows it: the window's EDT paints
 * it over the cached chart; a PNG sink draws the whole chart off screen.
 */
package dev.heatgrid.viewer;
