package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.WriterState;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM across processes: the solver finishes (or, on a second signal, abandons) the
 * step in progress, leaves the newest published frame intact and checksum-valid, says EXITED,
 * releases the writer role (a resume succeeds) and exits 130 for SIGINT, 0 for SIGTERM.
 */
class SignalTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "{0} x{1}")
    @CsvSource({"INT, 1, 130, INTERRUPTED", "TERM, 1, 0, TERMINATED", "INT, 2, 130, INTERRUPTED"})
    void aSignalStopsCleanly(String signal, int times, int exitCode, String reason) throws Exception {
        Path segment = dir.resolve("signal.hgrid");
        try (JvmProcess solver = JvmProcess.start(List.of("--add-modules", "jdk.incubator.vector"), SolverChildMain.class,
                "create", segment.toString(), "--size=1024x1024", "--init=random:5", "--threads=2", "--publish-every=3",
                "--keep=true")) {
            solver.awaitLine("READY", Duration.ofSeconds(30));
            try (FrameReader reader = FrameReader.open(segment)) {
                SteeringTest.awaitTrue(() -> reader.generation() > 3, "the solver publishes");
            }
            for (int i = 0; i < times; i++) {
                int code = new ProcessBuilder("kill", "-" + signal, Long.toString(solver.pid())).inheritIO().start().waitFor();
                assertEquals(0, code, "kill -" + signal);
            }
            assertEquals(exitCode, solver.waitFor(Duration.ofSeconds(30)), solver.stdout() + solver.stderr());
            String out = solver.stdout();
            assertTrue(out.contains("RESULT reason=" + reason + " exit=" + exitCode), out);
            assertTrue(solver.stderr().isBlank() || !solver.stderr().contains("Exception"), solver.stderr());
            // To the end of RESULT's line: with two signals, the second one's "SIGNAL null" may come after it.
            int stepAt = out.indexOf(" step=", out.indexOf("RESULT")) + 6;
            int lineEnd = out.indexOf('\n', stepAt);
            long resultStep = Long.parseLong(out.substring(stepAt, lineEnd < 0 ? out.length() : lineEnd).strip());
            try (FrameReader reader = FrameReader.open(segment)) {
                Frame frame = Frame.shapedFor(reader.layout());
                reader.latest(frame); // verifies the checksum
                assertEquals(WriterState.EXITED, reader.writer().state());
                assertEquals(resultStep, frame.header().step(), "the result names the newest published frame");
            }
            try (SegmentWriter again = SegmentWriter.resume(segment)) {
                assertEquals(resultStep, again.publishedHeader().step(), "the writer role was released");
            }
            System.out.println("SIG" + signal + " x" + times + ": exit " + exitCode + ", stopped at step " + resultStep);
        }
    }
}
