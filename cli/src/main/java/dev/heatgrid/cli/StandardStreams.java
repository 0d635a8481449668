package dev.heatgrid.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The process's standard streams as the launcher hands them over, and whether they are terminals.
 *
 * <p>The JVM prints "WARNING: Using incubator modules" before {@code main} whenever the Vector API
 * module is loaded, and no option turns it off. So the launcher starts the JVM with fd 2 going through
 * a filter that drops that line, and passes the real stderr as fd 3. {@link #adoptLauncherStderr}
 * then makes fd 3 the process's stderr again with {@code dup2(3, 2)}: the very same open file
 * description the user's shell set up, so under {@code > log 2>&1} stdout and stderr share one file
 * offset (reopening {@code /dev/fd/3} would create a second description starting at offset 0 and
 * overwrite the log), {@code >>} keeps appending, pipes and terminals stay what they are, and the
 * filter sees end-of-file and exits. Everything written to {@link System#err} afterwards, including
 * the JVM's own last words, goes straight to the real stderr, in order with stdout.
 */
final class StandardStreams {
    /**
     * System property {@code FD:PID}: descriptor FD of process PID holds the real stderr. The launcher
     * sets it with its own pid, which the JVM keeps (exec). JVMs started from this one with the same
     * arguments (tiles) have another pid and leave their stderr alone: their descriptor FD, if open at
     * all, is some file the JVM opened for itself.
     */
    static final String LAUNCHER_STDERR_PROPERTY = "heatgrid.stderr.fd";
    static final int STDOUT = 1;
    static final int STDERR = 2;

    private static final Optional<MethodHandle> DUP2 = function("dup2", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final Optional<MethodHandle> CLOSE = function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final Optional<MethodHandle> ISATTY = function("isatty", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));

    private StandardStreams() {
    }

    /**
     * If the launcher passed the real stderr as a descriptor, makes it fd 2 and closes the spare.
     * Without the launcher (or without native access) nothing changes: messages still arrive through
     * the filter, only perhaps a moment late.
     */
    static void adoptLauncherStderr() {
        String value = System.getProperty(LAUNCHER_STDERR_PROPERTY);
        if (value == null || DUP2.isEmpty() || CLOSE.isEmpty()) {
            return;
        }
        int colon = value.indexOf(':');
        int fd;
        long pid;
        try {
            fd = Integer.parseInt(value.substring(0, Math.max(colon, 0)));
            pid = Long.parseLong(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            return;
        }
        if (fd <= STDERR || pid != ProcessHandle.current().pid()) {
            return;
        }
        System.err.flush();
        if (call(DUP2.get(), fd, STDERR) == STDERR) {
            call(CLOSE.get(), fd);
        }
    }

    /** Whether {@code fd} is a terminal (isatty); false where that cannot be asked. */
    static boolean isTerminal(int fd) {
        return ISATTY.isPresent() && call(ISATTY.get(), fd) == 1;
    }

    private static int call(MethodHandle function, int... args) {
        try {
            return args.length == 1 ? (int) function.invokeExact(args[0]) : (int) function.invokeExact(args[0], args[1]);
        } catch (Throwable e) {
            return -1;
        }
    }

    /** A C library function, or empty where there is none or native access is not enabled. */
    private static Optional<MethodHandle> function(String name, FunctionDescriptor descriptor) {
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            return libc.find(name).map(address -> linker.downcallHandle(address, descriptor));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }
}
