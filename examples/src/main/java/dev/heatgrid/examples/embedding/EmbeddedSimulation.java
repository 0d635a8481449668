package dev.heatgrid.examples.embedding;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentNames;
import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.KernelCatalog;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.spi.Boundary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The solver inside a Java program, through its public API only: configure a cooling fin (the
 * variable-conductivity example kernel, found on the class path), run it in rounds, and after each
 * round read the frame it just published back from its own segment, as any reader would.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... dev.heatgrid.examples.embedding.EmbeddedSimulation [SEGMENT]
 * </pre>
 * While it runs, {@code heatgrid view SEGMENT} in another terminal shows the fin warming up.
 */
public final class EmbeddedSimulation {
    static final int NX = 64;
    static final int NY = 48;
    static final int ROUNDS = 5;
    static final long STEPS_PER_ROUND = 400;
    /** The west edge is held at this temperature; everything else starts cold and is insulated. */
    static final double HOT_EDGE = 100;

    /**
     * What one round left in the published frame.
     *
     * @param finTip temperature where the fin ends (on its centre line)
     * @param airAtTip temperature of the air at the same distance from the hot edge, off the fin
     */
    public record Round(long step, long generation, double time, double totalHeat, double finTip, double airAtTip) {
    }

    private EmbeddedSimulation() {
    }

    public static void main(String[] args) throws IOException {
        Path segment = args.length > 0 ? SegmentNames.resolve(args[0])
                : SegmentNames.resolve("embedded-" + ProcessHandle.current().pid());
        run(segment, System.out);
    }

    /** Runs the fin on {@code segment} (removed at the end) and prints one line per round. */
    public static List<Round> run(Path segment, PrintStream out) throws IOException {
        SolverConfig config = SolverConfig.builder()
                .catalog(KernelCatalog.installed())
                .kernel("variable-conductivity")
                .param("map", "2")            // the cooling fin
                .param("contrast", "0.05")    // air conducts 20 times worse than the fin
                .size(new GridSize(NX, NY))
                .boundary(Boundary.parse("neumann,west=dirichlet:" + HOT_EDGE))
                .initial(InitialCondition.parse("hotspot:0"))   // all cold
                .threads(1)
                .build();
        var rounds = new ArrayList<Round>();
        try (Solver solver = Solver.create(segment, config);
             FrameReader reader = FrameReader.open(solver.path())) {
            out.printf(Locale.ROOT, "embedded %s: %d x %d, kernel %s, dt %.4g%n", solver.path(), NX, NY,
                    solver.kernel().name(), solver.dt());
            Frame frame = Frame.shapedFor(reader.layout());
            int tipX = NX * 3 / 4 - 1;
            int centreY = NY / 2;
            for (int r = 0; r < ROUNDS; r++) {
                solver.run(StopCondition.steps(STEPS_PER_ROUND));
                long generation = reader.latest(frame);
                var round = new Round(frame.header().step(), generation, frame.header().time(),
                        frame.header().stats().get(0).total(), frame.get(0, tipX, centreY), frame.get(0, tipX, 1));
                rounds.add(round);
                out.printf(Locale.ROOT, "step %d  generation %d  time %.2f  total heat %.1f  fin tip %.3f  air %.3f%n",
                        round.step(), round.generation(), round.time(), round.totalHeat(), round.finTip(), round.airAtTip());
            }
        }
        return rounds;
    }
}
