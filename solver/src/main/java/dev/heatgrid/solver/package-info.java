/**
 * The solver: the writer side of heatgrid. It steps a grid in place inside a segment with a
 * {@linkplain dev.heatgrid.solver.spi.Kernel kernel}, publishes new generations, and obeys steering
 * commands and signals.
 *
 * <h2>Embedding</h2>
 * <pre>{@code
 * SolverConfig config = SolverConfig.builder()
 *         .size(GridSize.parse("256x256"))
 *         .boundary(Boundary.parse("north=dirichlet:100,south=neumann,west=neumann,east=neumann"))
 *         .initial(InitialCondition.parse("gaussian"))
 *         .build();
 * Path segment = SegmentNames.resolve("plate");                 // /dev/shm/plate.hgrid
 * try (Solver solver = Solver.create(segment, config)) {        // publishes step 0
 *     RunResult result = solver.run(StopCondition.steps(1000));
 *     System.out.println(result.summary());
 *     try (FrameReader reader = FrameReader.open(segment)) {    // read our own frames back
 *         Frame frame = Frame.shapedFor(reader.layout());
 *         reader.latest(frame);
 *     }
 * }
 * }</pre>
 *
 * <h2>What the command line maps to</h2>
 * <table>
 *   <caption>heatgrid run flags</caption>
 *   <tr><td>{@code --size 512x512}</td><td>{@link dev.heatgrid.solver.GridSize#parse}, {@code builder.size}</td></tr>
 *   <tr><td>{@code --kernel NAME}</td><td>{@code builder.kernel}</td></tr>
 *   <tr><td>{@code --kernel-jar JAR}</td><td>{@link dev.heatgrid.solver.KernelCatalog#withJars}, {@code builder.catalog}</td></tr>
 *   <tr><td>{@code --param K=V}, {@code --alpha V}</td><td>{@code builder.param("K=V")}, {@code builder.param("alpha", V)}</td></tr>
 *   <tr><td>{@code --dt auto|X}</td><td>{@link dev.heatgrid.solver.TimeStep#parse}, {@code builder.dt}</td></tr>
 *   <tr><td>{@code --boundary ...}</td><td>{@link dev.heatgrid.solver.spi.Boundary#parse}, {@code builder.boundary}</td></tr>
 *   <tr><td>{@code --init ...}</td><td>{@link dev.heatgrid.solver.InitialCondition#parse}, {@code builder.initial}</td></tr>
 *   <tr><td>{@code --threads/--buffers/--publish-every/--keep}</td><td>{@code builder.threads/buffers/publishEvery/keep}</td></tr>
 *   <tr><td>{@code --steps N|--until T|--steady TOL|--duration 30s}</td><td>{@link dev.heatgrid.solver.StopCondition#parseSteps},
 *       {@code parseUntil}, {@code parseSteady}, {@code parseWallClock} (no flag: {@code untilStopped()})</td></tr>
 *   <tr><td>{@code --resume}</td><td>{@link dev.heatgrid.solver.Solver#resume} instead of {@code create}</td></tr>
 *   <tr><td>progress bar, summary</td><td>{@link dev.heatgrid.solver.ProgressListener}, {@link dev.heatgrid.solver.RunResult#summary()}</td></tr>
 *   <tr><td>SIGINT/SIGTERM, exit code</td><td>{@link dev.heatgrid.solver.TerminationSignals}, {@link dev.heatgrid.solver.RunResult#exitCode()}</td></tr>
 *   <tr><td>{@code heatgrid kernels}</td><td>{@link dev.heatgrid.solver.KernelListing#format(KernelCatalog)}</td></tr>
 * </table>
 * Every parser and builder method throws {@link java.lang.IllegalArgumentException} with one
 * message naming the bad value and what is allowed (a usage error, exit code 2); creating or
 * resuming a segment throws {@link java.io.IOException} for runtime failures (exit code 1).
 */
package dev.heatgrid.solver;
