package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SteeringClient;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.WriterState;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue test 8: another process pauses, changes a parameter, injects heat, resumes and stops a
 * running solver through the segment's control area; each command takes effect and is recorded
 * (step and result) in the log viewers read. Bad commands are refused, not applied.
 */
class SteeringTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void pauseSetHeatResumeAndStopFromAnotherProcess() throws Exception {
        Path segment = dir.resolve("steer.hgrid");
        try (JvmProcess solver = JvmProcess.start(List.of("--add-modules", "jdk.incubator.vector"), SolverChildMain.class,
                "create", segment.toString(), "--size=96x96", "--init=hotspot:1", "--threads=2", "--publish-every=4")) {
            solver.awaitLine("READY", Duration.ofSeconds(30));
            steer(solver, segment);
        }
    }

    private static void steer(JvmProcess solver, Path segment) throws Exception {
        try (FrameReader reader = FrameReader.open(segment);
             SteeringClient client = SteeringClient.open(segment)) {
            long started = reader.generation();
            awaitTrue(() -> reader.generation() > started + 5, "the solver publishes");

            CommandRecord paused = command(client, SteeringCode.PAUSE, "");
            assertTrue(paused.applied());
            awaitTrue(() -> reader.writer().state() == WriterState.PAUSED, "the writer says PAUSED");
            long pausedAt = reader.generation();
            Thread.sleep(300);
            assertEquals(pausedAt, reader.generation(), "no frames while paused");
            Frame atPause = latest(reader);
            assertEquals(paused.step(), atPause.header().step(), "the paused frame holds every step taken (published on pause)");

            assertTrue(command(client, SteeringCode.SET, "alpha", 0.1).applied());
            CommandRecord unstable = command(client, SteeringCode.SET, "alpha", 100);
            assertEquals(CommandRecord.REFUSED, unstable.result(), "alpha=100 with dt 0.2 is unstable");
            // The poster learns why from the segment itself (the result message), not only "refused".
            String why = client.resultMessage(unstable.command().seq()).orElseThrow(
                    () -> new AssertionError("the refusal of alpha=100 carries no reason for the poster"));
            assertTrue(why.contains("dt 0.2 is unstable for kernel ftcs"), why);
            assertEquals(CommandRecord.REFUSED, command(client, SteeringCode.SET, "beta", 1).result(), "unknown parameter");
            assertEquals(CommandRecord.REFUSED, command(client, SteeringCode.HEAT, "", 500, 500, 3, 9).result(), "heat off the grid");
            // A temperature whose sum over the grid overflows would end the run: refused by the one value rule.
            CommandRecord overflow = command(client, SteeringCode.HEAT, "", 20, 70, 4, 1e308);
            assertEquals(CommandRecord.REFUSED, overflow.result(), "heat 1e308 overflows the frame's mean");
            assertTrue(client.resultMessage(overflow.command().seq()).orElseThrow().contains(
                    "heat temperature 1.0E308 is out of range"), client.resultMessage(overflow.command().seq()).toString());
            assertTrue(command(client, SteeringCode.HEAT, "", 20, 70, 4, 50).applied());
            assertEquals(pausedAt, reader.generation(), "commands while paused publish nothing");

            CommandRecord resumed = command(client, SteeringCode.RESUME, "");
            assertTrue(resumed.applied());
            awaitTrue(() -> reader.generation() > pausedAt + 3, "the solver publishes again after RESUME");
            Frame after = latest(reader);
            assertTrue(after.header().params().contains("alpha=0.1\n"), "alpha in effect: " + after.header().params());
            assertTrue(after.get(0, 20, 70) > 1, "the heat disc is in the grid: " + after.get(0, 20, 70));
            assertTrue(after.header().stats().get(0).max() > 1, "max after heating: " + after.header().stats().get(0));

            CommandRecord stopped = command(client, SteeringCode.STOP, "");
            assertTrue(stopped.applied());
            assertEquals(0, solver.waitFor(Duration.ofSeconds(30)), solver.stderr());
            String out = solver.stdout();
            assertTrue(out.contains("RESULT reason=STEERED exit=0"), out);
            assertTrue(out.contains("COMMAND set alpha=100.0 result=1 dt 0.2 is unstable for kernel ftcs"), out);
            assertTrue(out.contains("COMMAND set beta=1.0 result=1 unknown parameter 'beta'; declared: alpha"), out);
            assertEquals(WriterState.EXITED, reader.writer().state());

            List<CommandRecord> log = reader.commandLog();
            assertEquals(9, log.size(), "every command is in the log: " + log);
            assertEquals(SteeringCode.STOP, log.get(0).command().code(), "newest first");
            assertEquals(SteeringCode.PAUSE, log.get(8).command().code());
            System.out.println("steering log (newest first):");
            for (CommandRecord r : log) {
                System.out.println("  step " + r.step() + " generation " + r.generation() + ": " + r.command() + " -> "
                        + (r.applied() ? "applied" : "refused"));
            }
        }
    }

    private static CommandRecord command(SteeringClient client, SteeringCode code, String key, double... args)
            throws Exception {
        long seq = client.post(code, key, 10, TimeUnit.SECONDS, args);
        return client.awaitResult(seq, 10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError(code + " not recorded"));
    }

    private static Frame latest(FrameReader reader) throws Exception {
        Frame frame = Frame.shapedFor(reader.layout());
        reader.latest(frame);
        return frame;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void awaitTrue(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
