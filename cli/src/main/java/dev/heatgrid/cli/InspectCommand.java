package dev.heatgrid.cli;

import dev.heatgrid.segment.FrameCorruptedException;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameOvertakenException;
import dev.heatgrid.segment.FrameReader;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heatgrid inspect SEGMENT}: what a segment holds and who is using it. */
@Command(name = "inspect", description = {"Show a segment's grid, fields, newest frame, writer, lock, attached"
        + " processes and buffers.", "Looking never changes or removes the segment."},
        footer = "Exit status: 0 ok, 1 failure or (--verify) a corrupt frame, 5 (--verify) could not check: the writer"
                + " kept overtaking the check for 10 s.")
final class InspectCommand implements Callable<Integer> {
    /** Exit status of {@code --verify} when no consistent read could be checked in time: not corruption. */
    static final int UNCHECKED = 5;

    @Spec
    CommandSpec spec;

    @Mixin
    SegmentArgument segment;

    @Option(names = "--json", description = "Machine-readable output (keys documented in docs/CLI.md).")
    boolean json;

    @Option(names = "--verify", description = "Check the newest frame's checksums; exit 1 if it is corrupt, 5 if the"
            + " writer kept overtaking the check for 10 s (not corruption).")
    boolean verify;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (FrameReader reader = FrameReader.open(segment.path(), segment.allowOtherOwner())) {
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
                    + HumanFormat.bytes(((Number) r.get("fileBytes")).longValue()) + ", " + r.get("buffers")
                    + " buffers, created " + r.get("created") + ((Boolean) r.get("keep") ? ", kept" : "") + ")");
            line(text, "grid", r.get("nx") + " x " + r.get("ny") + " cells, dx " + number(r.get("dx")) + ", dy "
                    + number(r.get("dy"))
                    + ", tile at (" + tile.get("originX") + ", " + tile.get("originY") + ") of " + tile.get("globalNx")
                    + " x " + tile.get("globalNy"));
            line(text, "fields", String.join(", ", (List<String>) r.get("fields")));
            line(text, "kernel", orDash(r.get("kernel")) + ", dt " + number(r.get("dt")) + ", boundary "
                    + orDash(r.get("boundary")));
            Map<String, String> params = (Map<String, String>) r.get("params");
            line(text, "params", r.containsKey("paramsError") ? "damaged: " + r.get("paramsError")
                    : params.isEmpty() ? "-" : String.join(" ", params.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
            line(text, "generation", r.get("generation") + (r.get("step") == null ? ""
                    : "  (step " + r.get("step") + ", time " + number(r.get("time")) + ", published "
                    + age(r.get("frameAgeMillis")) + ")"));
            long pid = ((Number) writer.get("pid")).longValue();
            line(text, "writer", "none".equals(writer.get("state")) ? "none yet"
                    : (pid == 0 ? "pid not recorded" : "pid " + pid) + ", " + writer.get("state")
                    + (writer.get("heartbeatAgeMillis") == null ? ""
                    : ", last heartbeat " + age(writer.get("heartbeatAgeMillis"))));
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
                line(text, "stats " + s.get("field"), "min " + number(s.get("min")) + "  max " + number(s.get("max"))
                        + "  mean " + number(s.get("mean")) + "  total " + number(s.get("total")));
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

        private static String number(Object value) {
            return HumanFormat.number(((Number) value).doubleValue());
        }

        private static String age(Object millis) {
            return HumanFormat.duration(((Number) millis).longValue()) + " ago";
        }

        private static String orDash(Object value) {
            return value == null || value.toString().isEmpty() ? "-" : value.toString();
        }

        private static void line(StringBuilder text, String label, String value) {
            text.append(String.format("%-11s %s%n", label, value));
        }
    }
}
