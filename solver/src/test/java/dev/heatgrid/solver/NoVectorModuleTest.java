package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.kernels.FtcsKernel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} never touches the incubator
 * (no warning), steps with the scalar loop, and computes the same frames and frame headers
 * (statistics included) bit for bit as the vector loop, step by step or with eight steps fused per
 * block of rows (temporal blocking).
 */
class NoVectorModuleTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void theScalarPathInAJvmWithoutTheModuleGivesTheSameFrames() throws Exception {
        assertTrue(FtcsKernel.vectorized(), "this JVM has the module");
        String[] options = {"--size=131x67", "--init=random:21", "--boundary=north=dirichlet:1,south=neumann,west=periodic,east=periodic",
                "--threads=2", "--keep=true", "--steps=60"};
        Path scalar = dir.resolve("scalar.hgrid");
        try (JvmProcess child = JvmProcess.start(SolverChildMain.class, concat("create", scalar.toString(), options))) {
            assertEquals(0, child.waitFor(Duration.ofSeconds(60)), child.stderr());
            assertFalse(child.stderr().contains("incubator"), "no incubator warning: " + child.stderr());
        }
        Path vector = dir.resolve("vector.hgrid");
        try (JvmProcess child = JvmProcess.start(java.util.List.of("--add-modules", "jdk.incubator.vector"),
                SolverChildMain.class, concat("create", vector.toString(), options))) {
            assertEquals(0, child.waitFor(Duration.ofSeconds(60)), child.stderr());
        }
        Path blocked = dir.resolve("blocked.hgrid");
        try (JvmProcess child = JvmProcess.start(java.util.List.of("--add-modules", "jdk.incubator.vector"),
                SolverChildMain.class, concat("create", blocked.toString(), options, "--publish-every=8"))) {
            assertEquals(0, child.waitFor(Duration.ofSeconds(60)), child.stderr());
            assertTrue(child.stdout().contains(" blocked=60"), "all 60 steps fused (7 rounds of 8, one of 4): " + child.stdout());
        }
        assertEquals(60, Grids.latest(scalar).header().step());
        for (Path other : new Path[]{vector, blocked}) {
            assertArrayEquals(Grids.latest(scalar).field(0), Grids.latest(other).field(0), other.toString());
            assertEquals(Grids.latest(scalar).header().stats(), Grids.latest(other).header().stats(), other.toString());
            assertEquals(Grids.latest(scalar).header().time(), Grids.latest(other).header().time(), other.toString());
        }
    }

    private static String[] concat(String a, String b, String[] rest, String... more) {
        String[] all = new String[rest.length + 2 + more.length];
        all[0] = a;
        all[1] = b;
        System.arraycopy(rest, 0, all, 2, rest.length);
        System.arraycopy(more, 0, all, 2 + rest.length, more.length);
        return all;
    }
}
