package dev.heatgrid.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One execution of the heatgrid command line in this JVM, with stdout and stderr captured.
 *
 * @param exitCode what {@code main} would exit with
 * @param out      what went to stdout
 * @param err      what went to stderr
 */
record CommandRun(int exitCode, String out, String err) {
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = Heatgrid.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
