package dev.heatgrid.solver.spi;

/**
 * What a kernel that solves along whole grid lines (see {@link Kernel#solvesLinesAcrossTiles})
 * exchanges with the neighbouring tiles <em>during</em> a pass: a recurrence along a line (the
 * forward elimination of a Thomas solve, its back substitution) stops at the tile's edge, hands its
 * carry to the tile that continues the line, and that tile goes on with exactly the arithmetic one
 * process would have done. Everything about transport, ranks and faults lives behind it.
 *
 * <p>A message is a run of values for consecutive lines; each side names it with a tag, and the
 * receiver's tag must match the sender's (a mismatch means the tiles fell out of step and ends the
 * run). Values from one neighbour are received in the order it sent them. Calls come from the
 * thread that runs the pass (a tile stepping a line-coupled kernel steps with one thread).
 */
public interface LineCarries {
    /**
     * Sends {@code count} values to the tile across {@code toward}, which continues this tile's
     * lines there. Returns once they are on their way (it may wait while the link is back-pressured).
     *
     * @throws java.io.UncheckedIOException when that tile is lost or the run must end
     */
    void send(Edge toward, int tag, double[] values, int count);

    /**
     * Waits for the next message from the tile across {@code from} and copies its {@code count}
     * values into {@code into}. A tile never computes with a missing carry: a neighbour silent for the
     * run's timeout is lost, and this throws with the run's message naming it.
     *
     * @throws java.io.UncheckedIOException when that tile is lost, sent another tag or count, or the run must end
     */
    void receive(Edge from, int tag, double[] into, int count);

    /**
     * Field {@code f} of the step's source frame at node (x, y) just outside this tile, in tile
     * coordinates ({@code x} -1 or nx with {@code 0 <= y < ny}, or {@code y} -1 or ny with
     * {@code 0 <= x < nx}), as the neighbour across that edge sent it before the step. Only edges
     * with a neighbouring tile have such nodes.
     */
    double halo(int f, int x, int y);
}
