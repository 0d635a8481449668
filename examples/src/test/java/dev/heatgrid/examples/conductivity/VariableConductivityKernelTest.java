package dev.heatgrid.examples.conductivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.examples.Frames;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.KernelCatalog;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.spi.Boundary;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Variable conductivity: conservative with insulated edges, ftcs when uniform, a fin carries heat. */
class VariableConductivityKernelTest {
    private static final GridSize GRID = new GridSize(80, 60);
    private static final double DX = 0.5;
    private static final double DY = 0.25;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private static SolverConfig.Builder config(String kernel, String boundary) {
        return SolverConfig.builder().catalog(KernelCatalog.installed()).kernel(kernel).size(GRID).spacing(DX, DY)
                .boundary(Boundary.parse(boundary)).initial(InitialCondition.parse("random:11")).threads(2).keep(true);
    }

    private Frame run(String name, SolverConfig config, long steps) throws Exception {
        Path segment = dir.resolve(name + ".hgrid");
        try (Solver solver = Solver.create(segment, config)) {
            solver.run(StopCondition.steps(steps));
        }
        return Frames.latest(segment);
    }

    @ParameterizedTest(name = "map {0}")
    @ValueSource(ints = {1, 2})
    void totalHeatIsConservedWithInsulatedEdges(int map) throws Exception {
        SolverConfig config = config(VariableConductivityKernel.NAME, "neumann").param("map", Integer.toString(map))
                .param("contrast", "0.02").build();
        Frame start = run("start-" + map, config, 0);
        Frame end = run("end-" + map, config, 3000);
        double before = Frames.sum(start.field("T")) * DX * DY;
        double after = Frames.sum(end.field("T")) * DX * DY;
        double relative = Math.abs(after - before) / before;
        double headerRelative = Math.abs(end.header().stats().get(0).total() - before) / before;
        System.out.printf("variable-conductivity map %d, neumann, 3000 steps: total %.15g -> %.15g, relative change"
                + " %.2e (header total %.2e); T in [%.4f, %.4f]%n", map, before, after, relative, headerRelative,
                Frames.min(end.field("T")), Frames.max(end.field("T")));
        assertTrue(relative <= 1e-12, "total heat changed by " + relative);
        assertTrue(headerRelative <= 1e-12, "the header's total changed by " + headerRelative);
        assertTrue(Frames.max(end.field("T")) - Frames.min(end.field("T")) < 0.5, "3000 steps did not diffuse at all");
    }

    @Test
    void uniformConductivityReproducesFtcs() throws Exception {
        String boundary = "north=dirichlet:1,south=dirichlet:0,west=neumann,east=neumann";
        Frame flux = run("flux", config(VariableConductivityKernel.NAME, boundary).param("map", "0").build(), 400);
        Frame ftcs = run("ftcs", config("ftcs", boundary).build(), 400);
        assertEquals(ftcs.header().time(), flux.header().time());
        double worst = 0;
        double[] a = flux.field("T");
        double[] b = ftcs.field("T");
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        System.out.printf("uniform conductivity vs ftcs after 400 steps: largest difference %.2e%n", worst);
        assertTrue(worst <= 1e-12, "largest difference from ftcs " + worst);
    }

    @Test
    void aFinCarriesHeatFurtherThanAir() throws Exception {
        SolverConfig config = config(VariableConductivityKernel.NAME, "neumann,west=dirichlet:1")
                .initial(InitialCondition.parse("hotspot:0")).param("map", "2").param("contrast", "0.05").build();
        Frame end = run("fin", config, 2000);
        int x = GRID.nx() / 2;
        double inFin = end.get(0, x, GRID.ny() / 2);
        double inAir = end.get(0, x, 2);
        System.out.printf("cooling fin after 2000 steps, half-way along: fin %.4f, air %.4f%n", inFin, inAir);
        assertTrue(inFin > 5 * inAir, "fin " + inFin + ", air " + inAir);
        assertEquals(0.05, Frames.min(end.field("k")));
        assertEquals(1.0, Frames.max(end.field("k")));
    }

    @Test
    void contrastOutOfRangeIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> config(VariableConductivityKernel.NAME, "neumann").param("contrast", "2").build());
        assertEquals("parameter 'contrast' is 2.0; allowed a real in (0, 1]", e.getMessage());
    }
}
