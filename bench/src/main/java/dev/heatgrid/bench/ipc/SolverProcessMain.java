package dev.heatgrid.bench.ipc;

import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.RunResult;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.spi.Boundary;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The solver in a process of its own, as {@code heatgrid run} is: ftcs on an n x n grid, publishing
 * every step, driven by the harness through stdin. Its own JVM matters: the stencil's compiled code
 * depends on what vector code the JVM ran before it (docs/BENCHMARKS.md, "JIT sensitivity"), and a
 * harness JVM that has just run every other measurement is not what a user's solver looks like.
 *
 * <p>Args: {@code SEGMENT N THREADS WARM_UP_STEPS BUFFERS}. Prints {@code READY} after the warm-up; then for
 * each stdin line {@code RUN K} runs K steps and prints {@code RAN steps=S seconds=T}.
 */
public final class SolverProcessMain {
    private SolverProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        SolverConfig config = SolverConfig.builder()
                .size(new GridSize(n, n))
                .kernel("ftcs")
                .boundary(Boundary.parse("dirichlet:1"))
                .initial(InitialCondition.parse("random:42"))
                .threads(Integer.parseInt(args[2]))
                .buffers(Integer.parseInt(args[4]))
                .build();
        try (Solver solver = Solver.create(Path.of(args[0]), config)) {
            solver.run(StopCondition.steps(Long.parseLong(args[3])));
            System.out.println("READY");
            System.out.flush();
            var commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                RunResult result = solver.run(StopCondition.steps(Long.parseLong(line.substring("RUN ".length()))));
                System.out.printf(Locale.ROOT, "RAN steps=%d seconds=%.6f%n", result.stepsDone(),
                        result.elapsed().toNanos() / 1e9);
                System.out.flush();
            }
        }
    }
}
