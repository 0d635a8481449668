package dev.heatgrid.cli;

import dev.heatgrid.segment.AttachedProcesses;
import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameCorruptedException;
import dev.heatgrid.segment.FrameOvertakenException;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.GateStatus;
import dev.heatgrid.segment.ProcessIdentity;
import dev.heatgrid.segment.SegmentDescriptor;
import dev.heatgrid.segment.SegmentLayout;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.WriterStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code inspect} knows about a segment, as an ordered map: the same data is printed for
 * people and written as JSON ({@code --json}, documented in docs/CLI.md, keys never renamed). The
 * newest frame's header comes from the reader's consistent read ({@link FrameReader#latestHeader}).
 */
final class SegmentReport {
    private SegmentReport() {
    }

    static Map<String, Object> of(FrameReader reader) throws IOException {
        SegmentLayout layout = reader.layout();
        SegmentSpec spec = layout.spec();
        var report = new LinkedHashMap<String, Object>();
        FrameHeader header = newestHeader(reader);
        // generation, step and time all describe one frame when we have its header
        long generation = header != null ? header.generation() : reader.generation();
        report.put("path", reader.path().toString());
        report.put("format", SegmentDescriptor.MAJOR_VERSION + "." + SegmentDescriptor.MINOR_VERSION);
        report.put("generation", generation);
        report.put("step", header == null ? null : header.step());
        report.put("time", header == null ? null : header.time());
        report.put("nx", layout.nx());
        report.put("ny", layout.ny());
        report.put("fields", layout.fields());
        report.put("writer", writer(reader.writer()));
        report.put("dx", spec.dx());
        report.put("dy", spec.dy());
        report.put("dt", spec.dt());
        report.put("kernel", spec.kernel());
        report.put("boundary", spec.boundary());
        report.put("params", header == null ? spec.params() : header.paramMap());
        report.put("buffers", layout.buffers());
        report.put("fileBytes", layout.fileSize());
        report.put("keep", spec.keep());
        report.put("created", Instant.ofEpochSecond(0, layout.createdEpochNanos()).toString());
        report.put("tile", Map.of("originX", spec.tile().originX(), "originY", spec.tile().originY(),
                "globalNx", spec.tile().globalNx(), "globalNy", spec.tile().globalNy()));
        report.put("frameAgeMillis", header == null ? null : (System.nanoTime() - header.publishNanos()) / 1_000_000);
        report.put("stats", stats(layout, header));
        report.put("lock", lock(reader.lockOwnerPid()));
        report.put("attached", attached(reader));
        report.put("bufferStates", bufferStates(reader, generation));
        report.put("commands", commands(reader.commandLog()));
        report.put("gate", gate(GateStatus.of(reader)));
        return report;
    }

    /** The consumer gate: whether the writer waits for a gating consumer now, and who gates it. */
    private static Map<String, Object> gate(GateStatus gate) {
        var map = new LinkedHashMap<String, Object>();
        map.put("waiting", gate.waitingGeneration() != 0);
        map.put("waitingGeneration", gate.waitingGeneration() == 0 ? null : gate.waitingGeneration());
        map.put("waitingForPid", gate.waitingGeneration() == 0 ? null : gate.waitingPid());
        map.put("waitingMillis", gate.waitingGeneration() == 0 ? null : gate.waitingNanos() / 1_000_000);
        map.put("waits", gate.waits());
        map.put("waitedMillis", gate.waitedNanos() / 1_000_000);
        map.put("drops", gate.drops());
        var members = new ArrayList<Object>();
        for (GateStatus.Member m : gate.members()) {
            var member = new LinkedHashMap<String, Object>();
            member.put("slot", m.slot());
            member.put("state", m.state());
            member.put("pid", m.pid());
            member.put("alive", m.alive());
            member.put("cursor", m.cursor());
            member.put("gateTimeoutMillis", m.stallNanos() / 1_000_000);
            member.put("dropReason", m.dropReason());
            members.add(member);
        }
        map.put("consumers", members);
        return map;
    }

    /**
     * The newest frame's header; null if there is none, or it cannot be read consistently (the
     * rest of the report still helps to see why; {@code --verify} says what is wrong).
     */
    private static FrameHeader newestHeader(FrameReader reader) throws IOException {
        try {
            return reader.latestHeader();
        } catch (FrameCorruptedException | FrameOvertakenException e) {
            return null;
        }
    }

    private static Map<String, Object> writer(WriterStatus writer) {
        var map = new LinkedHashMap<String, Object>();
        map.put("pid", writer.pid());
        map.put("alive", writer.alive());
        map.put("state", describe(writer));
        map.put("heartbeatAgeMillis", writer.heartbeatAgeNanos() == Long.MAX_VALUE ? null
                : writer.heartbeatAgeNanos() / 1_000_000);
        return map;
    }

    /** running / paused / exited / gone / not responding / none: {@link WriterStatus#liveness()} in the report's words. */
    static String describe(WriterStatus writer) {
        return switch (writer.liveness()) {
            case NONE -> "none";
            case RUNNING -> "running";
            case PAUSED -> "paused";
            case NOT_RESPONDING -> "not responding";
            case EXITED -> "exited";
            case GONE -> "gone";
        };
    }

    private static List<Object> stats(SegmentLayout layout, FrameHeader header) {
        var list = new ArrayList<Object>();
        if (header == null) {
            return list;
        }
        for (int f = 0; f < layout.fields().size(); f++) {
            FieldStats s = header.stats().get(f);
            var map = new LinkedHashMap<String, Object>();
            map.put("field", layout.fields().get(f));
            map.put("min", s.min());
            map.put("max", s.max());
            map.put("mean", s.mean());
            map.put("total", s.total());
            map.put("checksum", String.format("%016x", s.checksum()));
            list.add(map);
        }
        return list;
    }

    private static Map<String, Object> lock(long ownerPid) {
        var map = new LinkedHashMap<String, Object>();
        map.put("held", ownerPid != 0);
        map.put("ownerPid", ownerPid == 0 ? null : ownerPid);
        map.put("ownerAlive", ownerPid == 0 ? null : ProcessIdentity.of(ownerPid).isPresent());
        return map;
    }

    private static List<Object> attached(FrameReader reader) throws IOException {
        long me = ProcessHandle.current().pid();
        var list = new ArrayList<Object>();
        for (AttachedProcesses.Attached a : AttachedProcesses.of(reader.path())) {
            if (a.pid() != me) {
                list.add(Map.of("pid", a.pid(), "writer", a.writer()));
            }
        }
        return list;
    }

    private static List<Object> bufferStates(FrameReader reader, long newest) {
        var list = new ArrayList<Object>();
        for (int b = 0; b < reader.layout().buffers(); b++) {
            long seq = reader.bufferSeq(b);
            var map = new LinkedHashMap<String, Object>();
            map.put("buffer", b);
            map.put("state", seq == 0 ? "empty" : (seq & 1) == 1 ? "writing" : "complete");
            map.put("generation", seq == 0 ? null : (seq + 1) / 2);
            map.put("newest", seq != 0 && (seq & 1) == 0 && seq / 2 == newest);
            list.add(map);
        }
        return list;
    }

    private static List<Object> commands(List<CommandRecord> log) {
        var list = new ArrayList<Object>();
        for (CommandRecord record : log) {
            var map = new LinkedHashMap<String, Object>();
            map.put("seq", record.command().seq());
            map.put("step", record.step());
            map.put("command", record.command().toString());
            map.put("result", switch (record.result()) {
                case CommandRecord.APPLIED -> "applied";
                case CommandRecord.REFUSED -> "refused";
                case CommandRecord.DISCARDED -> "discarded";
                default -> "unknown command";
            });
            map.put("posterPid", record.command().posterPid());
            list.add(map);
        }
        return list;
    }
}
