package dev.heatgrid.cli;

import dev.heatgrid.segment.FrameCorruptedException;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameOvertakenException;
import dev.heatgrid.segment.FrameReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heatgrid inspect SEGMENT}: what a segment holds and who is using it. */
@Command(name = "inspect", description = {"Show a segment's grid, fields, newest frame, writer, lock, attached"
        + " processes and buffers.", "Looking never changes or removes the segment."},
        footer = "Exit status: 0 ok, 1 failure or (--verify) a corrupt frame, 3 (--verify) could not check: the writer"
                + " kept overtaking the check.")
final class InspectCommand implements Callable<Integer> {
    /** Exit status of {@code --verify} when no consistent read could be checked in time: not corruption. */
    static final int UNCHECKED = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SEGMENT", converter = SegmentPathConverter.class,
            description = "Segment name or path.")
    Path segment;

    @Option(names = "--json", description = "Machine-readable output (keys documented in docs/CLI.md).")
    boolean json;

    @Option(names = "--verify", description = "Check the newest frame's checksums; exit 1 if it is corrupt, 3 if the"
            + " writer kept overtaking the check (not corruption).")
    boolean verify;

    @Option(names = "--allow-other-owner", description = "Open a segment that belongs to another user.")
    boolean allowOtherOwner;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (FrameReader reader = FrameReader.open(segment, allowOtherOwner)) {
            Map<String, Object> report = SegmentReport.of(reader);
            int exit = 0;
            if (verify) {
                var result = new LinkedHashMap<String, Object>();
                try {
                    // A busy machine may need longer than a viewer would wait: keep trying for a while.
                    reader.setMaxReadNanos(FrameReader.ONE_SHOT_MAX_READ_NANOS);
                    FrameHeader header = reader.verifyLatest();
                    result.put("ok", true);
                    result.put("generation", header == null ? 0 : header.generation());
                    result.put("detail", header == null ? "nothing published yet"
                            : "checksums of generation " + header.generation() + " match");
                    result.put("outcome", header == null ? "nothing published" : "match");
                } catch (FrameCorruptedException e) {
                    exit = CommandFailureHandler.RUNTIME;
                    result.put("ok", false);
                    result.put("generation", e.generation());
                    result.put("detail", e.getMessage());
                    result.put("outcome", "corrupt");
                } catch (FrameOvertakenException e) {
                    exit = UNCHECKED;
                    result.put("ok", false);
                    result.put("generation", reader.generation());
                    result.put("detail", e.getMessage());
                    result.put("outcome", "unchecked");
                }
                report.put("verify", result);
            }
            out.print(json ? JsonText.of(report) : HumanReport.render(report));
            out.flush();
            return exit;
        }
    }

    /** The report as aligned lines for people. */
    static final class HumanReport {
        private HumanReport() {
        }

        @SuppressWarnings("unchecked")
        static String render(Map<String, Object> r) {
            var text = new StringBuilder();
            Map<String, Object> writer = (Map<String, Object>) r.get("writer");
            Map<String, Object> tile = (Map<String, Object>) r.get("tile");
            Map<String, Object> lock = (Map<String, Object>) r.get("lock");
            line(text, "segment", r.get("path") + "  (format " + r.get("format") + ", "
                    + String.format("%.1f MiB", ((Number) r.get("fileBytes")).longValue() / 1048576.0)
                    + ", created " + r.get("created") + ((Boolean) r.get("keep") ? ", kept" : "") + ")");
            line(text, "grid", r.get("nx") + " x " + r.get("ny") + " cells, dx " + r.get("dx") + ", dy " + r.get("dy")
                    + ", tile at (" + tile.get("originX") + ", " + tile.get("originY") + ") of " + tile.get("globalNx")
                    + " x " + tile.get("globalNy"));
            line(text, "fields", String.join(", ", (List<String>) r.get("fields")));
            line(text, "kernel", orDash(r.get("kernel")) + ", dt " + r.get("dt") + ", boundary " + orDash(r.get("boundary")));
            Map<String, String> params = (Map<String, String>) r.get("params");
            line(text, "params", params.isEmpty() ? "-" : String.join(" ", params.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
            line(text, "generation", r.get("generation") + (r.get("step") == null ? ""
                    : "  (step " + r.get("step") + ", time " + r.get("time") + ", published "
                    + r.get("frameAgeMillis") + " ms ago)"));
            line(text, "writer", ((Number) writer.get("pid")).longValue() == 0 ? "none yet"
                    : "pid " + writer.get("pid") + ", " + writer.get("state")
                    + (writer.get("heartbeatAgeMillis") == null ? ""
                    : ", last heartbeat " + writer.get("heartbeatAgeMillis") + " ms ago"));
            line(text, "lock", (Boolean) lock.get("held") ? "held by pid " + lock.get("ownerPid")
                    + ((Boolean) lock.get("ownerAlive") ? "" : " (dead: the next user recovers it)") : "free");
            List<Map<String, Object>> attached = (List<Map<String, Object>>) r.get("attached");
            line(text, "attached", attached.isEmpty() ? "no other process" : String.join(", ", attached.stream()
                    .map(a -> a.get("pid") + ((Boolean) a.get("writer") ? " (writer)" : "")).toList()));
            var buffers = new StringBuilder();
            for (Map<String, Object> b : (List<Map<String, Object>>) r.get("bufferStates")) {
                buffers.append(buffers.isEmpty() ? "" : "; ").append(b.get("buffer")).append(": ").append(b.get("state"))
                        .append(b.get("generation") == null ? "" : " generation " + b.get("generation"))
                        .append((Boolean) b.get("newest") ? " (newest)" : "");
            }
            line(text, "buffers", buffers.toString());
            for (Map<String, Object> s : (List<Map<String, Object>>) r.get("stats")) {
                line(text, "stats " + s.get("field"), String.format("min %.6g  max %.6g  mean %.6g  total %.6g",
                        s.get("min"), s.get("max"), s.get("mean"), s.get("total")));
            }
            Map<String, Object> gate = (Map<String, Object>) r.get("gate");
            List<Map<String, Object>> consumers = (List<Map<String, Object>>) gate.get("consumers");
            if (!consumers.isEmpty() || (Boolean) gate.get("waiting") || ((Number) gate.get("waits")).longValue() > 0) {
                line(text, "gate", ((Boolean) gate.get("waiting")
                        ? "WAITING to begin generation " + gate.get("waitingGeneration") + " for consumer pid "
                        + gate.get("waitingForPid") + " (" + gate.get("waitingMillis") + " ms so far)"
                        : "not waiting") + "; waited " + gate.get("waits") + " time(s), " + gate.get("waitedMillis")
                        + " ms in all; " + gate.get("drops") + " consumer(s) dropped");
            }
            for (Map<String, Object> c : consumers) {
                line(text, "consumer", "pid " + c.get("pid") + " (slot " + c.get("slot") + "), " + c.get("state")
                        + (c.get("dropReason") == null ? "" : " (" + c.get("dropReason") + ")")
                        + ((Boolean) c.get("alive") ? "" : ", gone") + ", finished generation " + c.get("cursor")
                        + ", gate timeout " + c.get("gateTimeoutMillis") + " ms");
            }
            for (Map<String, Object> c : (List<Map<String, Object>>) r.get("commands")) {
                line(text, "command", "step " + c.get("step") + ": " + c.get("command") + " (" + c.get("result")
                        + ", from pid " + c.get("posterPid") + ")");
            }
            Map<String, Object> verify = (Map<String, Object>) r.get("verify");
            if (verify != null) {
                line(text, "verify", switch ((String) verify.get("outcome")) {
                    case "corrupt" -> "CORRUPT: ";
                    case "unchecked" -> "NOT CHECKED (not corruption): ";
                    default -> "ok: ";
                } + verify.get("detail"));
            }
            return text.toString();
        }

        private static String orDash(Object value) {
            return value == null || value.toString().isEmpty() ? "-" : value.toString();
        }

        private static void line(StringBuilder text, String label, String value) {
            text.append(String.format("%-11s %s%n", label, value));
        }
    }
}
