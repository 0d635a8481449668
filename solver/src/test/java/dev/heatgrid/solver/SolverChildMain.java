package dev.heatgrid.solver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVM for cross-process tests, doing what the CLI's {@code heatgrid run} will: parse options,
 * create or resume, install the signal handlers, run, close, exit with the run's exit code.
 * Args: {@code create|resume PATH [--option=value ...]}; prints {@code READY step=S generation=G}
 * before stepping and {@code RESULT reason=R exit=E blocked=B step=S} at the end (B: steps fused by temporal blocking).
 */
public final class SolverChildMain {
    public static void main(String[] args) throws Exception {
        // As the CLI's main: the handlers stay ours until the JVM exits. Restored when the signals are
        // closed (before the solver), the JVM's own SIGINT handler ended the process when a second
        // Ctrl-C came late, before close() said EXITED: the segment was left saying PAUSED (SignalTest, CI).
        TerminationSignals.keepHandlersUntilExit();
        boolean resume = args[0].equals("resume");
        Path path = Path.of(args[1]);
        SolverConfig.Builder config = SolverConfig.builder();
        List<StopCondition> stops = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String key = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (key) {
                case "size" -> config.size(GridSize.parse(value));
                case "kernel" -> config.kernel(value);
                case "param" -> config.param(value);
                case "dt" -> config.dt(TimeStep.parse(value));
                case "boundary" -> config.boundary(dev.heatgrid.solver.spi.Boundary.parse(value));
                case "init" -> config.initial(InitialCondition.parse(value));
                case "threads" -> config.threads(Integer.parseInt(value));
                case "publish-every" -> config.publishEvery(Integer.parseInt(value));
                case "keep" -> config.keep(Boolean.parseBoolean(value));
                case "steps" -> stops.add(StopCondition.parseSteps(value));
                case "until" -> stops.add(StopCondition.parseUntil(value));
                case "duration" -> stops.add(StopCondition.parseWallClock(value));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        StopCondition stop = stops.isEmpty() ? StopCondition.untilStopped() : new StopCondition.AnyOf(stops);
        RunControl control = new RunControl();
        RunResult result;
        try (Solver solver = resume ? Solver.resume(path, config.build()) : Solver.create(path, config.build());
             TerminationSignals signals = TerminationSignals.install(control, reason -> System.out.println("SIGNAL " + reason))) {
            System.out.println("READY step=" + solver.step() + " generation=" + solver.generation());
            System.out.flush();
            result = solver.run(stop, control, new ProgressListener() {
                @Override
                public void onProgress(Progress progress) {
                }

                @Override
                public void onCommand(dev.heatgrid.segment.SteeringCommand command,
                                      dev.heatgrid.segment.CommandOutcome outcome) {
                    System.out.println("COMMAND " + command + " result=" + outcome.verdict().code() + " "
                            + outcome.message());
                    System.out.flush();
                }
            });
            long blocked = solver.blockedSteps;
            // Printed while our signal handlers are still installed: once close() restores the JVM's
            // own, a second Ctrl-C arriving late ends the JVM (exit 130) before a line printed after it.
            System.out.println("RESULT reason=" + result.reason() + " exit=" + result.exitCode() + " blocked=" + blocked
                    + " step=" + result.step()); // step last: tests parse it to the end of the line
            System.out.flush();
        }
        System.exit(result.exitCode());
    }
}
