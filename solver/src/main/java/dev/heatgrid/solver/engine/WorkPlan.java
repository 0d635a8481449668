package dev.heatgrid.solver.engine;

/**
 * Decides what the workers do next. {@link #next} runs between passes, in one thread, while every
 * worker waits at the barrier: it is the place for everything that must not overlap a pass
 * (publishing, steering, progress, stop decisions). Whatever it writes is visible to the workers
 * in the pass it returns, and everything the workers wrote in the previous pass is visible to it.
 */
public interface WorkPlan {
    /** The next pass, or null to end the run. */
    Work next() throws Exception;
}
