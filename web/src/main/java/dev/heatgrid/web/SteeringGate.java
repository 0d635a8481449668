package dev.heatgrid.web;

import java.io.IOException;

/**
 * How a steering request from the page reaches the solver. The server does not parse or post
 * commands itself: {@code heatgrid serve --allow-steer} hands it the very parser and poster of
 * {@code heatgrid steer}, so the page is held to exactly the same rules. Without a gate the page
 * cannot steer.
 */
@FunctionalInterface
public interface SteeringGate {
    /**
     * Applies one action and waits for the solver's verdict.
     *
     * @param action   pause, resume, stop, set or heat
     * @param argument {@code KEY=VALUE} for set, {@code X,Y,RADIUS,TEMP} for heat, empty otherwise
     * @throws IllegalArgumentException the action or its argument is malformed; the message says how
     * @throws IOException              no running solver, or it did not apply the command in time
     */
    Verdict steer(String action, String argument) throws IOException;

    /**
     * What the solver did with a command.
     *
     * @param applied whether it took effect (false: refused, with the reason in {@code message})
     * @param step    the step at which the solver took it
     * @param message the solver's explanation, or empty
     */
    record Verdict(boolean applied, long step, String message) {
    }
}
