package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.LineCarries;

/**
 * The Thomas solve of {@link Tridiagonal} for lines that one tile holds only part of: this tile's
 * nodes {@code first..first+count-1} of lines of {@code n} nodes. Each node gets exactly the
 * operations {@link Tridiagonal#solveInPlace} gives it, in the same order, so the bits are those
 * of one process:
 * <ol>
 *   <li><b>Forward</b> (from the tile before to the tile after): the elimination of node
 *       {@code first} needs the eliminated node {@code first - 1}, one carry per line.</li>
 *   <li><b>Back</b> (after to before): the substitution of node {@code first + count - 1} needs
 *       the solved node after it, one carry per line. A periodic axis also passes the last node of
 *       the line (solved before its correction) down to the tile holding node 0.</li>
 *   <li><b>Correction</b> (periodic lines, before to after): the tile holding node 0 has both
 *       ends, computes the Sherman-Morrison factor and hands it (with node 0) up the line.</li>
 * </ol>
 * The chain ends at the grid's ends: a periodic line is solved as a cyclic system, not as a ring of
 * tiles. Lines go in messages of {@link #LINES_PER_MESSAGE}, so a tile works on the next lines while
 * the tile after it works on these (a pipeline over a tile's lines).
 *
 * <p>On the way it also learns the solved (and corrected) nodes just outside the tile, {@link #below}
 * and {@link #above}: the carries are those nodes before the last operations, which this tile repeats.
 * The next half step needs them as its halo, so they cost no message of their own. On a periodic axis
 * they are the wrapped nodes (node n-1 below node 0, node 0 above node n-1).
 */
final class LineChain {
    /** Lines per message: efficiency about chunks / (chunks + tiles - 1) along a line of tiles. */
    static final int LINES_PER_MESSAGE = 64;
    private static final int FORWARD = 0;
    private static final int BACK = 1;
    private static final int CORRECTION = 2;

    private final int n;
    private final int first;
    private final int count;
    private final boolean periodic;
    private final boolean hasBefore;
    private final boolean hasAfter;
    private final Edge before;
    private final Edge after;
    private final LineCarries carries;
    private final int pass;
    /** Per line: the forward carry (eliminated node first - 1), the back carry (solved node first + count). */
    private final double[] fromBefore;
    private final double[] fromAfter;
    /** Per line: nodes n-1 and 0 solved but not yet corrected, and the correction factor (0: none). */
    private final double[] lastNode;
    private final double[] firstNode;
    private final double[] factor;
    /** Per line: the solved nodes just outside the tile (see the class comment). */
    final double[] below;
    final double[] above;
    private final double[] message = new double[2 * LINES_PER_MESSAGE];

    /**
     * @param n        nodes per global line
     * @param first    this tile's first node of each line
     * @param count    this tile's nodes of each line
     * @param periodic whether the axis wraps (then the correction round runs, also for lines whose
     *                 held nodes made them non-cyclic, so that every tile takes the same messages)
     * @param before   the edge towards node 0 (south or west)
     * @param lines    how many lines this tile solves per pass
     * @param carries  the link to the tiles before and after; unused when the tile holds whole lines
     * @param pass     the kernel pass this chain serves, for the message tags
     */
    LineChain(int n, int first, int count, boolean periodic, Edge before, int lines, LineCarries carries, int pass) {
        if (first < 0 || count < 1 || first + count > n) {
            throw new IllegalArgumentException("nodes " + first + ".." + (first + count - 1) + " of a line of " + n);
        }
        this.n = n;
        this.first = first;
        this.count = count;
        this.periodic = periodic;
        this.hasBefore = first > 0;
        this.hasAfter = first + count < n;
        this.before = before;
        this.after = before.opposite();
        this.carries = carries;
        this.pass = pass;
        if ((hasBefore || hasAfter) && carries == null) {
            throw new IllegalArgumentException("a tile with part of a line needs the link to the rest");
        }
        this.fromBefore = new double[lines];
        this.fromAfter = new double[lines];
        this.lastNode = new double[lines];
        this.firstNode = new double[lines];
        this.factor = new double[lines];
        this.below = new double[lines];
        this.above = new double[lines];
    }

    /**
     * Solves lines {@code 0..lines-1} in place: node i of line l is {@code data[l * lineStride + i *
     * nodeStride]}, holding the right-hand side before and the solution after; line l's system is
     * {@code systems[l]} (all of {@code n} nodes). A heap array, not a segment: these loops are
     * what a tile computes, and the JIT compiles array loops reliably (segment accesses here ran
     * 5x slower in a tile process, their checks not inlined).
     */
    void solve(double[] data, int lineStride, int nodeStride, Tridiagonal[] systems, int lines) {
        for (int a = 0; a < lines; a += LINES_PER_MESSAGE) {
            forward(data, lineStride, nodeStride, systems, a, Math.min(lines, a + LINES_PER_MESSAGE));
        }
        for (int a = 0; a < lines; a += LINES_PER_MESSAGE) {
            back(data, lineStride, nodeStride, systems, a, Math.min(lines, a + LINES_PER_MESSAGE));
        }
        if (periodic) {
            for (int a = 0; a < lines; a += LINES_PER_MESSAGE) {
                correct(data, lineStride, nodeStride, systems, a, Math.min(lines, a + LINES_PER_MESSAGE));
            }
        }
    }

    private int tag(int phase, int line) {
        return (pass * 4 + phase) << 26 | line;
    }

    // Node by node, and across the chunk's lines for each node: the column pass's lines are columns,
    // so this reads rows as the one-process sweep does; the row pass's 64 rows stay in cache.

    private void forward(double[] data, int lineStride, int nodeStride, Tridiagonal[] systems, int a, int b) {
        if (hasBefore) {
            carries.receive(before, tag(FORWARD, a), message, b - a);
            System.arraycopy(message, 0, fromBefore, a, b - a);
        }
        for (int i = 0; i < count; i++) {
            int g = first + i;
            for (int l = a; l < b; l++) {
                Tridiagonal t = systems[l];
                int at = l * lineStride + i * nodeStride;
                // Node 0 of the line has no node before it: (d - lower * 0) * inv is d * inv bit for bit
                // (lower[0] is 0, and d - +0.0 is d for every d, -0.0 and NaN included), which is what
                // both of the one-process sweeps compute there.
                double prev = i > 0 ? data[at - nodeStride] : hasBefore ? fromBefore[l] : 0;
                data[at] = (data[at] - t.lower[g] * prev) * t.inv[g];
            }
        }
        if (hasAfter) {
            for (int l = a; l < b; l++) {
                message[l - a] = data[l * lineStride + (count - 1) * nodeStride];
            }
            carries.send(after, tag(FORWARD, a), message, b - a);
        }
    }

    private void back(double[] data, int lineStride, int nodeStride, Tridiagonal[] systems, int a, int b) {
        int lines = b - a;
        if (hasAfter) {
            carries.receive(after, tag(BACK, a), message, periodic ? 2 * lines : lines);
            System.arraycopy(message, 0, fromAfter, a, lines);
            if (periodic) {
                System.arraycopy(message, lines, lastNode, a, lines);
            }
        }
        for (int i = count - 1; i >= 0; i--) {
            int g = first + i;
            for (int l = a; l < b; l++) {
                int at = l * lineStride + i * nodeStride;
                if (i < count - 1) {
                    data[at] = data[at] - systems[l].upperPrime[g] * data[at + nodeStride];
                } else if (hasAfter) {
                    data[at] = data[at] - systems[l].upperPrime[g] * fromAfter[l];
                } else {
                    lastNode[l] = data[at]; // node n-1: the elimination already solved it
                }
            }
        }
        for (int l = a; l < b; l++) {
            double node = data[l * lineStride];
            if (hasBefore) {
                // What the tile before will make of its last node (before any correction).
                below[l] = fromBefore[l] - systems[l].upperPrime[first - 1] * node;
                message[l - a] = node;
                message[lines + l - a] = lastNode[l];
            } else {
                below[l] = lastNode[l]; // node n-1, below node 0 on a periodic axis
            }
            above[l] = hasAfter ? fromAfter[l] : 0;
        }
        if (hasBefore) {
            carries.send(before, tag(BACK, a), message, periodic ? 2 * lines : lines);
        }
    }

    private void correct(double[] data, int lineStride, int nodeStride, Tridiagonal[] systems, int a, int b) {
        int lines = b - a;
        if (hasBefore) {
            carries.receive(before, tag(CORRECTION, a), message, 2 * lines);
            System.arraycopy(message, 0, factor, a, lines);
            System.arraycopy(message, lines, firstNode, a, lines);
        } else {
            for (int l = a; l < b; l++) {
                Tridiagonal t = systems[l];
                double node0 = data[l * lineStride];
                firstNode[l] = node0;
                factor[l] = t.cyclic ? (node0 + t.corner * lastNode[l]) * t.correction : 0;
            }
        }
        if (hasAfter) {
            System.arraycopy(factor, a, message, 0, lines);
            System.arraycopy(firstNode, a, message, lines, lines);
            carries.send(after, tag(CORRECTION, a), message, 2 * lines);
        }
        for (int i = 0; i < count; i++) {
            int g = first + i;
            for (int l = a; l < b; l++) {
                Tridiagonal t = systems[l];
                if (t.cyclic) {
                    int at = l * lineStride + i * nodeStride;
                    data[at] = data[at] - factor[l] * t.z[g];
                }
            }
        }
        for (int l = a; l < b; l++) {
            Tridiagonal t = systems[l];
            if (!hasAfter) {
                above[l] = firstNode[l]; // node 0, above node n-1
            }
            if (t.cyclic) {
                below[l] = below[l] - factor[l] * t.z[hasBefore ? first - 1 : n - 1];
                above[l] = above[l] - factor[l] * t.z[hasAfter ? first + count : 0];
            }
        }
    }
}
