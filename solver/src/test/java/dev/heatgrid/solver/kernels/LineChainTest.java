package dev.heatgrid.solver.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.heatgrid.solver.spi.Edge;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The line solve split over tiles gives every node the bits {@link Tridiagonal#solveInPlace} gives
 * it on the whole line, and the nodes just outside each tile (its next halo) too: lines of several
 * message chunks, uneven tiles, Dirichlet, Neumann and periodic ends, held nodes (which make some
 * periodic lines non-cyclic), tiles in threads linked by in-memory queues.
 */
class LineChainTest {
    @ParameterizedTest(name = "{0} nodes on {1} tiles, {2} lines, dirichlet {3}/{4}, periodic {5}, held {6}..{7}")
    @CsvSource({
            "37, 2, 150, false, false, false, 0, -1",
            "37, 3, 150, true, false, false, 0, -1",
            "37, 2, 70, true, true, false, 10, 22",
            "37, 1, 70, false, false, true, 0, -1",
            "37, 2, 150, false, false, true, 0, -1",
            "41, 3, 130, false, false, true, 0, -1",
            "41, 4, 65, false, false, true, 17, 25",
            "41, 3, 65, false, false, true, 0, 3",
            "41, 2, 65, false, false, true, 38, 40",
            "8, 4, 3, false, true, true, 0, -1",
    })
    void splitSolveEqualsWholeLineBitForBit(int n, int tiles, int lines, boolean fixedFirst, boolean fixedLast,
                                            boolean periodic, int heldFrom, int heldTo) throws Exception {
        double h = 0.37;
        Tridiagonal plain = Tridiagonal.implicitDiffusion(n, h, fixedFirst, fixedLast, periodic);
        Tridiagonal held = Tridiagonal.implicitDiffusion(n, h, fixedFirst, fixedLast, periodic, heldFrom, heldTo);
        Tridiagonal[] systems = new Tridiagonal[lines];
        for (int l = 0; l < lines; l++) {
            systems[l] = l % 3 == 1 ? held : plain; // neighbouring lines in one message with different systems
        }
        Random random = new Random(n * 31L + tiles);
        double[][] expected = new double[lines][n];
        double[][] rhs = new double[lines][n];
        for (int l = 0; l < lines; l++) {
            for (int i = 0; i < n; i++) {
                rhs[l][i] = l == 5 && i == 3 ? -0.0 : random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3);
            }
            expected[l] = rhs[l].clone();
            systems[l].solveInPlace(expected[l]);
        }
        int[] starts = new int[tiles + 1];
        for (int k = 0; k <= tiles; k++) {
            starts[k] = k * (n / tiles) + Math.min(k, n % tiles); // uneven tiles: the first ones one node longer
        }
        int[] originY = starts.clone();
        InMemoryTiles link = new InMemoryTiles(1, tiles, new int[tiles], originY);
        double[][][] solved = new double[tiles][][];
        LineChain[] chains = new LineChain[tiles];
        InMemoryTiles.inParallel(tiles, k -> {
            int first = starts[k];
            int count = starts[k + 1] - first;
            // Lines as columns, the tile's nodes as rows: the layout of the column pass.
            double[] data = new double[lines * count];
            for (int i = 0; i < count; i++) {
                for (int l = 0; l < lines; l++) {
                    data[i * lines + l] = rhs[l][first + i];
                }
            }
            LineChain chain = new LineChain(n, first, count, periodic, Edge.SOUTH, lines, link.carries(k, n), 0);
            chain.solve(data, 1, lines, systems, lines);
            double[][] out = new double[lines][count];
            for (int i = 0; i < count; i++) {
                for (int l = 0; l < lines; l++) {
                    out[l][i] = data[i * lines + l];
                }
            }
            solved[k] = out;
            chains[k] = chain;
        });
        for (int k = 0; k < tiles; k++) {
            int first = starts[k];
            int count = starts[k + 1] - first;
            for (int l = 0; l < lines; l++) {
                for (int i = 0; i < count; i++) {
                    assertBits(expected[l][first + i], solved[k][l][i], "line " + l + " node " + (first + i) + " on tile " + k);
                }
                if (first > 0 || periodic) {
                    assertBits(expected[l][Math.floorMod(first - 1, n)], chains[k].below[l], "line " + l + " below tile " + k);
                }
                if (first + count < n || periodic) {
                    assertBits(expected[l][(first + count) % n], chains[k].above[l], "line " + l + " above tile " + k);
                }
            }
        }
    }

    private static void assertBits(double expected, double actual, String where) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                where + ": expected " + expected + " but was " + actual);
    }
}
