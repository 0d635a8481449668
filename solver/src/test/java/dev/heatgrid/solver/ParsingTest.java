package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.EdgeCondition;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the CLI hands us as text: every value parses, round-trips, or fails with one clear message. */
class ParsingTest {
    private static void refused(String expectedFragment, Runnable parse) {
        var e = assertThrows(IllegalArgumentException.class, parse::run);
        assertTrue(e.getMessage().contains(expectedFragment), "message '" + e.getMessage() + "' lacks '" + expectedFragment + "'");
    }

    @Test
    void gridSizes() {
        assertEquals(new GridSize(512, 256), GridSize.parse("512x256"));
        assertEquals(new GridSize(64, 64), GridSize.parse(" 64 "));
        assertEquals(new GridSize(3, 5), GridSize.parse("3X5"));
        refused("grid size '512by512' is not NXxNY (e.g. 512x512) or N; sides allowed 3..1048576", () -> GridSize.parse("512by512"));
        refused("grid size nx is 2; allowed 3..1048576", () -> GridSize.parse("2x8"));
        refused("grid size ny is 2000000; allowed 3..1048576", () -> GridSize.parse("8x2000000"));
        refused("allowed 3..1048576", () -> GridSize.parse("x"));
    }

    @Test
    void timeSteps() {
        assertTrue(TimeStep.parse("auto").isAuto());
        assertEquals(0.125, TimeStep.parse("0.125").value());
        refused("dt is -1.0; allowed auto or a finite number > 0", () -> TimeStep.parse("-1"));
        refused("dt is 0.0; allowed auto", () -> TimeStep.parse("0"));
        refused("dt 'fast' is not a number; allowed auto or a finite number > 0", () -> TimeStep.parse("fast"));
        refused("allowed auto or a finite number > 0", () -> TimeStep.parse("Infinity"));
    }

    @Test
    void boundariesForAllEdgesAndPerEdge() {
        assertEquals(Boundary.all(EdgeCondition.dirichlet(0)), Boundary.parse("dirichlet:0"));
        assertEquals(Boundary.all(EdgeCondition.dirichlet(0)), Boundary.parse("dirichlet"));
        assertEquals(Boundary.all(EdgeCondition.NEUMANN), Boundary.parse("neumann"));
        assertEquals(Boundary.all(EdgeCondition.PERIODIC), Boundary.parse("periodic"));
        Boundary mixed = Boundary.parse("north=dirichlet:100,south=neumann,west=periodic,east=periodic");
        assertEquals(EdgeCondition.dirichlet(100), mixed.north());
        assertEquals(EdgeCondition.NEUMANN, mixed.south());
        assertTrue(mixed.periodicX());
        Boundary defaults = Boundary.parse("neumann, north=dirichlet:2.5");
        assertEquals(EdgeCondition.NEUMANN, defaults.west());
        assertEquals(EdgeCondition.dirichlet(2.5), defaults.north());
        Boundary onlyNorth = Boundary.parse("north=dirichlet:100");
        assertEquals(EdgeCondition.dirichlet(0), onlyNorth.south(), "unnamed edges default to dirichlet:0");
        for (String text : new String[]{"dirichlet:0", "periodic", "north=dirichlet:100,south=neumann,west=neumann,east=neumann",
                "north=dirichlet:-1.5E-7,south=dirichlet:0,west=periodic,east=periodic"}) {
            Boundary b = Boundary.parse(text);
            assertEquals(b, Boundary.parse(b.toString()), "round trip of " + text + " via " + b);
        }
        refused("boundary: west is periodic but east is dirichlet:0; a periodic grid wraps from one edge to the opposite one,"
                + " so both must be periodic", () -> Boundary.parse("west=periodic"));
        refused("'up' is not an edge; edges are north (row ny-1), south (row 0), west (column 0), east (column nx-1)",
                () -> Boundary.parse("up=neumann"));
        refused("edge condition 'robin' is not one of dirichlet:VALUE, dirichlet (= dirichlet:0), neumann, periodic",
                () -> Boundary.parse("robin"));
        refused("Dirichlet value 'hot' is not a number (e.g. dirichlet:100)", () -> Boundary.parse("dirichlet:hot"));
        refused("boundary is empty", () -> Boundary.parse(" "));
    }

    @Test
    void initialConditions() {
        assertEquals(new InitialCondition.Hotspot(1), InitialCondition.parse("hotspot"));
        assertEquals(new InitialCondition.Hotspot(100), InitialCondition.parse("hotspot:100"));
        assertEquals(new InitialCondition.Gaussian(1), InitialCondition.parse("gaussian"));
        assertEquals(new InitialCondition.SineMode(2, 3), InitialCondition.parse("sine:2,3"));
        assertEquals(new InitialCondition.Random(42), InitialCondition.parse("random:42"));
        assertEquals(new InitialCondition.FromFile(java.nio.file.Path.of("a b.npy")), InitialCondition.parse("file:a b.npy"));
        refused("initial condition 'sine:2' : sine needs P,Q".replace(" :", ":"), () -> InitialCondition.parse("sine:2"));
        refused("sine mode (0, 1): P and Q must be >= 1", () -> InitialCondition.parse("sine:0,1"));
        refused("initial condition 'wave' is unknown; allowed hotspot[:A], gaussian[:A], sine:P,Q, random:SEED, file:PATH.csv|.npy",
                () -> InitialCondition.parse("wave"));
        refused("has a value that is not a number", () -> InitialCondition.parse("random:x"));
        refused("file needs a path", () -> InitialCondition.parse("file:"));
    }

    @Test
    void heaters() {
        Heater h = Heater.parse("10,20,30,40,500");
        assertEquals(new Heater(10, 20, 30, 40, 500), h);
        assertEquals(h, Heater.parse(h.toString()));
        assertTrue(Heater.parse("none").isNone());
        refused("heater '1,2,3' is not X0,Y0,X1,Y1,TEMP", () -> Heater.parse("1,2,3"));
        refused("x1 must be >= x0 and y1 >= y0", () -> Heater.parse("5,5,4,6,1"));
        refused("heater 0,0,600,10,1.0 reaches outside the 512x512 grid; allowed x 0..511, y 0..511",
                () -> Heater.parse("0,0,600,10,1").checkFits(new dev.heatgrid.solver.spi.GridGeometry(512, 512, 1, 1)));
        // The one value rule: what the command line accepts for a heater, steering accepts for a heat disc.
        refused("heater temperature 1.0E308 is out of range; allowed -1.07e+301 .. 1.07e+301 on this 512x512 grid",
                () -> Heater.parse("0,0,10,10,1e308").checkFits(new dev.heatgrid.solver.spi.GridGeometry(512, 512, 1, 1)));
        refused("heat temperature 1.0E308 is out of range; allowed -1.07e+301 .. 1.07e+301 on this 512x512 grid",
                () -> HeatDisc.of(new double[] {5, 5, 2, 1e308}, new dev.heatgrid.solver.spi.GridGeometry(512, 512, 1, 1)));
    }

    @ParameterizedTest
    @CsvSource({"30s,30000", "250ms,250", "5m,300000", "1h30m,5400000", "1.5m,90000", "12,12000"})
    void durations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), StopCondition.parseDuration(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "30x", "-5s", "5s30", "0s", "1h 30m"})
    void badDurations(String text) {
        refused("is not like 30s, 250ms, 5m, 1h30m (units ms, s, m, h; > 0)", () -> StopCondition.parseDuration(text));
    }

    @Test
    void stopConditions() {
        assertEquals(StopCondition.steps(100), StopCondition.parseSteps("100"));
        assertEquals(StopCondition.untilTime(2.5), StopCondition.parseUntil("2.5"));
        assertEquals(StopCondition.steady(1e-6), StopCondition.parseSteady("1e-6"));
        refused("steps '1e3' is not a whole number", () -> StopCondition.parseSteps("1e3"));
        refused("steps is -3; allowed 0..", () -> StopCondition.parseSteps("-3"));
        refused("until time is -1.0; allowed a finite number >= 0", () -> StopCondition.parseUntil("-1"));
        refused("steady tolerance is 0.0; allowed a finite number > 0", () -> StopCondition.parseSteady("0"));
    }

    @Test
    void configRefusesUnknownKernelsAndParametersNamingWhatIsAllowed() {
        refused("unknown kernel 'ftsc'; installed: ftcs, adi, spectral (plug-in kernels load from their jars)",
                () -> SolverConfig.builder().kernel("ftsc").build());
        refused("kernel ftcs has no parameter 'alhpa'; its parameters are alpha (and every kernel takes dt and heater)",
                () -> SolverConfig.builder().param("alhpa=1").build());
        refused("parameter 'alpha' is 0.0; allowed a real in (0, 1000000000000]", () -> SolverConfig.builder().param("alpha", "0").build());
        refused("parameter 'alpha' is 'x'; it must be a finite number", () -> SolverConfig.builder().param("alpha", "x").build());
        refused("parameter 'alpha1' is not KEY=VALUE (e.g. alpha=0.5)", () -> SolverConfig.builder().param("alpha1"));
        refused("threads is 0; allowed 1..256", () -> SolverConfig.builder().threads(0));
        refused("buffers is 1; allowed 2..16", () -> SolverConfig.builder().buffers(1));
        refused("publish-every is 0; allowed 1..1000000000", () -> SolverConfig.builder().publishEvery(0));
        assertEquals(0.5, SolverConfig.builder().param("dt", "0.5").build().dt().orElseThrow().value());
        assertEquals(new Heater(1, 1, 2, 2, 3), SolverConfig.builder().param("heater=1,1,2,2,3").build().heater().orElseThrow());
    }

    @Test
    void kernelListingShowsFieldsParametersAndStability() {
        String listing = KernelListing.format(KernelCatalog.installed());
        for (String expected : new String[]{"ftcs - explicit 5-point", "adi - implicit", "spectral - exact",
                "fields: T (temperature)", "stability: alpha*dt*(1/dx^2 + 1/dy^2) <= 1/2", "alpha", "real", "(0, 1000000000000]",
                "thermal diffusivity", "unconditionally stable", "heater", "X0,Y0,X1,Y1,TEMP"}) {
            assertTrue(listing.contains(expected), "listing lacks '" + expected + "':\n" + listing);
        }
        System.out.println(listing);
    }
}
