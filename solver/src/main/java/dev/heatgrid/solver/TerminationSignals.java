package dev.heatgrid.solver;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a clean stop of a run: the first signal asks the solver
 * to finish the step in progress, publish and stop ({@link StopReason#INTERRUPTED}, exit code 130,
 * or {@link StopReason#TERMINATED}, exit code 0); a second one abandons the step in progress. Either
 * way the newest published frame stays intact and {@link Solver#close()} then releases the writer
 * role. A command-line tool does:
 * <pre>{@code
 * RunControl control = new RunControl();
 * try (Solver solver = Solver.create(path, config);
 *      TerminationSignals signals = TerminationSignals.install(control, reason -> System.err.println(
 *              "stopping after this step (" + reason + "); press Ctrl-C again to abandon it"))) {
 *     result = solver.run(stop, control, listener);
 * }
 * System.exit(result.exitCode());
 * }</pre>
 * Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK) through reflection,
 * which is the only way a Java program tells SIGINT from SIGTERM. Where it is missing, a shutdown
 * hook stops the run instead and waits for {@link #close()}, and the JVM picks the exit code.
 */
public final class TerminationSignals implements AutoCloseable {
    private static volatile boolean keepUntilExit;

    private final List<Runnable> restore = new ArrayList<>();
    private Thread hook;
    private final Object done = new Object();
    private boolean closed;

    private TerminationSignals() {
    }

    /**
     * Installs the handlers.
     *
     * @param onSignal told (from the signal thread) which stop a first signal requested, and null when
     *                 a second signal abandons the step in progress; may be null
     */
    public static TerminationSignals install(RunControl control, Consumer<StopReason> onSignal) {
        var signals = new TerminationSignals();
        try {
            signals.handle("INT", StopReason.INTERRUPTED, control, onSignal);
            signals.handle("TERM", StopReason.TERMINATED, control, onSignal);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            signals.restoreHandlers();
            signals.installHook(control);
        }
        return signals;
    }

    private void handle(String name, StopReason reason, RunControl control, Consumer<StopReason> onSignal)
            throws ReflectiveOperationException {
        Class<?> signalClass = Class.forName("sun.misc.Signal");
        Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
        Object signal = signalClass.getConstructor(String.class).newInstance(name);
        InvocationHandler onCall = (Object proxy, Method method, Object[] args) -> {
            if (method.getName().equals("handle")) {
                if (control.stopRequested() == null) {
                    control.requestStop(reason);
                } else {
                    control.abandon(reason); // a second signal: the user is not waiting for this step
                }
                if (onSignal != null) {
                    onSignal.accept(control.abandoned() ? null : reason);
                }
                return null;
            }
            return switch (method.getName()) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "heatgrid termination handler";
            };
        };
        Object handler = Proxy.newProxyInstance(TerminationSignals.class.getClassLoader(), new Class<?>[]{handlerClass},
                onCall);
        Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
        Object previous = handle.invoke(null, signal, handler);
        restore.add(() -> {
            try {
                handle.invoke(null, signal, previous);
            } catch (ReflectiveOperationException e) {
                // leave ours in place: it only sets flags
            }
        });
    }

    private void installHook(RunControl control) {
        hook = new Thread(() -> {
            control.requestStop(StopReason.TERMINATED);
            synchronized (done) {
                while (!closed) {
                    try {
                        done.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "heatgrid-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private void restoreHandlers() {
        for (Runnable r : restore) {
            r.run();
        }
        restore.clear();
    }

    /**
     * For a process that exits as soon as its command returns (the heatgrid command's {@code main}): from
     * now on {@link #close()} leaves the handlers installed. A signal that arrives while the command prints
     * its summary, or while the JVM exits, then only sets flags nobody reads any more; with the JVM's own
     * handlers back it would end the process at once with 128 + the signal's number, the summary unwritten
     * (seen: Ctrl-C, then SIGTERM every 5 ms, made {@code record} exit 143 with no summary). Callers that
     * go on living (tests running commands in their JVM) keep the restoring close.
     */
    public static void keepHandlersUntilExit() {
        keepUntilExit = true;
    }

    /** Restores the previous handlers (unless {@link #keepHandlersUntilExit()}); call it once the solver is closed. */
    @Override
    public void close() {
        if (!keepUntilExit) {
            restoreHandlers();
        }
        synchronized (done) {
            closed = true;
            done.notifyAll();
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook has been released above
            }
        }
    }
}
