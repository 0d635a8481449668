package dev.heatgrid.tiles;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.SteeringCommand;
import dev.heatgrid.solver.StopReason;
import dev.heatgrid.solver.TileLink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * How the tiles agree, without any central process, on what changes a run and at which step. A
 * proposal (a steering command, a stop) rides on every halo exchange from the tile that made it to
 * its neighbours, which judge it, add their verdict, and pass the whole state on: what one exchange
 * carries reaches every tile within D exchanges, D the diameter of the neighbour graph. So after
 * 2D exchanges every tile knows every verdict; a proposal first sent in exchange t is decided at the
 * end of exchange t + 2D, identically on every tile: carried out if all accepted, else refused by
 * all with the first refusal (lowest rank) as the reason. Tiles step in lockstep (no tile computes
 * step s+1 before every neighbour's step s), so "exchange t + 2D" is the same state everywhere.
 *
 * <p>The state sent is a set union (proposals, verdict bits, the lowest-rank refusal), so it does
 * not matter how often or by which path it arrives. Single-threaded: the run's plan thread.
 *
 * <p>It also carries reductions: every tile adds its own value for a step (its largest change of
 * that step, for {@code --steady}) in the same exchange, the largest value seen travels on, and
 * after D exchanges every tile holds the maximum over all tiles, identically.
 */
final class Agreement {
    private final int tiles;
    private final int rank;
    /** Exchanges from a proposal's first exchange to its decision. */
    private final int delay;
    private final TreeMap<Long, Proposal> open = new TreeMap<>();
    private BiFunction<SteeringCommand, Long, CommandOutcome> judge = (c, s) -> CommandOutcome.applied("accepted");
    private final List<TileLink.Agreed> decided = new ArrayList<>();
    private final BitSet stopsProposed = new BitSet();
    /** Proposals decided already: a late echo of one is ignored. */
    private final java.util.Set<Long> decidedKeys = new java.util.HashSet<>();
    private int nextSeq = 1;
    private long step;
    /** Reductions by step: the largest value seen so far and which tiles it covers. */
    private final TreeMap<Long, Reduction> reductions = new TreeMap<>();
    private final java.util.ArrayDeque<TileLink.MaxDelta> reduced = new java.util.ArrayDeque<>();
    private final int diameter;

    Agreement(int tiles, int rank, int diameter) {
        this.tiles = tiles;
        this.rank = rank;
        this.delay = 2 * Math.max(1, diameter);
        this.diameter = Math.max(1, diameter);
    }

    /** This tile's value for step {@code step}, going out with exchange {@code tick} (every tile adds its own then). */
    void reduce(long atStep, double value, long tick) {
        Reduction r = reductions.computeIfAbsent(atStep, k -> new Reduction(tick));
        r.add(rank, value);
    }

    /** The next step whose maximum over every tile is known, oldest first; null if none. */
    TileLink.MaxDelta takeReduced() {
        return reduced.poll();
    }

    int delay() {
        return delay;
    }

    void judge(BiFunction<SteeringCommand, Long, CommandOutcome> j) {
        this.judge = j;
    }

    /** A command taken from this tile's segment, to go out with exchange {@code tick}. */
    void propose(SteeringCommand command, long tick, long atStep) {
        add(new Proposal(rank, nextSeq++, tick, command, null), atStep);
    }

    /** A stop this tile wants; each reason once. */
    void proposeStop(StopReason reason, long tick, long atStep) {
        if (stopsProposed.get(reason.ordinal())) {
            return;
        }
        stopsProposed.set(reason.ordinal());
        add(new Proposal(rank, nextSeq++, tick, null, reason), atStep);
    }

    private void add(Proposal p, long atStep) {
        this.step = atStep;
        vote(p);
        open.put(p.key(), p);
    }

    private void vote(Proposal p) {
        if (p.voted.get(rank)) {
            return;
        }
        p.voted.set(rank);
        if (p.command != null) {
            CommandOutcome o = judge.apply(p.command, step);
            if (o.verdict() != CommandOutcome.Verdict.APPLIED) {
                p.refuse(rank, o);
            }
        }
    }

    /** Everything undecided, as the control section of the next exchange. */
    byte[] encode() {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(open.size());
            for (Proposal p : open.values()) {
                p.write(out);
            }
            out.writeInt(reductions.size());
            for (var e : reductions.entrySet()) {
                out.writeLong(e.getKey());
                e.getValue().write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Merges a neighbour's state; judges proposals seen for the first time. */
    void merge(byte[] control, long atStep) throws IOException {
        this.step = atStep;
        if (control.length == 0) {
            return;
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(control))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                Proposal theirs = Proposal.read(in, tiles);
                Proposal mine = open.get(theirs.key());
                if (mine == null) {
                    if (decidedKeys.contains(theirs.key())) {
                        continue; // an echo of something already decided
                    }
                    open.put(theirs.key(), theirs);
                    mine = theirs;
                } else {
                    mine.voted.or(theirs.voted);
                    if (theirs.refuser >= 0) {
                        mine.refuse(theirs.refuser, theirs.refusal);
                    }
                }
                vote(mine);
            }
            int reductionCount = in.readInt();
            for (int i = 0; i < reductionCount; i++) {
                long reducedStep = in.readLong();
                Reduction theirs = Reduction.read(in, tiles);
                if (reducedStep <= lastReducedStep) {
                    continue; // an echo of a reduction already complete here
                }
                Reduction known = reductions.get(reducedStep);
                if (known == null) {
                    reductions.put(reducedStep, theirs);
                } else {
                    known.merge(theirs);
                }
            }
        }
    }

    private long lastReducedStep = Long.MIN_VALUE;

    /** Decides what is due after exchange {@code tick}; the decisions wait in {@link #takeDecided}. */
    void decideAfter(long tick) {
        // A value added in exchange t is everywhere after exchange t + D - 1 (one tile per exchange).
        while (!reductions.isEmpty() && reductions.firstEntry().getValue().tick + diameter - 1 <= tick) {
            var e = reductions.pollFirstEntry();
            if (e.getValue().covered.cardinality() != tiles) {
                throw new IllegalStateException("the largest change of step " + e.getKey() + " is known from tiles "
                        + e.getValue().covered + " only, after " + diameter + " exchanges");
            }
            lastReducedStep = e.getKey();
            reduced.add(new TileLink.MaxDelta(e.getKey(), e.getValue().max));
        }
        if (open.isEmpty()) {
            return; // the usual step: nothing to sort, and nothing allocated
        }
        var due = new ArrayList<Proposal>();
        for (Proposal p : open.values()) {
            if (p.tick + delay <= tick) {
                due.add(p);
            }
        }
        due.sort(Comparator.comparingLong((Proposal p) -> p.tick).thenComparingInt(p -> p.origin)
                .thenComparingInt(p -> p.seq));
        for (Proposal p : due) {
            open.remove(p.key());
            decidedKeys.add(p.key());
            if (p.voted.cardinality() != tiles) {
                throw new IllegalStateException("agreement on " + p + " incomplete after " + delay + " exchanges: votes "
                        + p.voted + " of " + tiles + " tiles");
            }
            CommandOutcome refusal = p.refuser < 0 ? null
                    : CommandOutcome.refused("refused by tile " + p.refuser + ": " + p.refusal.message());
            decided.add(new TileLink.Agreed(p.command, p.origin, refusal, p.stop));
        }
    }

    /** The decisions not yet handed out, in agreed order. */
    List<TileLink.Agreed> takeDecided() {
        if (decided.isEmpty()) {
            return List.of();
        }
        var list = List.copyOf(decided);
        decided.clear();
        return list;
    }

    /** Whether anything is still being agreed on (or reduced). */
    boolean busy() {
        return !open.isEmpty() || !reductions.isEmpty();
    }

    /** A set of ranks: its length in 64-bit words, then the words. */
    private static void writeTiles(DataOutputStream out, BitSet ranks) throws IOException {
        long[] words = ranks.toLongArray();
        out.writeInt(words.length);
        for (long w : words) {
            out.writeLong(w);
        }
    }

    private static BitSet readTiles(DataInputStream in, int tiles) throws IOException {
        int words = in.readInt();
        if (words < 0 || words > (tiles + 63) / 64) {
            throw new IOException("a set of ranks of " + words + " words for " + tiles + " tiles");
        }
        long[] bits = new long[words];
        for (int i = 0; i < words; i++) {
            bits[i] = in.readLong();
        }
        return BitSet.valueOf(bits);
    }

    /** One reduction: the largest value of a step seen so far, and the tiles whose values it covers. */
    private static final class Reduction {
        final long tick;
        double max = Double.NEGATIVE_INFINITY;
        final BitSet covered = new BitSet();

        Reduction(long tick) {
            this.tick = tick;
        }

        void add(int rank, double value) {
            covered.set(rank);
            // NaN (a diverged tile) must win: Math.max keeps it.
            max = Math.max(max, value);
        }

        void merge(Reduction other) {
            covered.or(other.covered);
            max = Math.max(max, other.max);
        }

        void write(DataOutputStream out) throws IOException {
            out.writeLong(tick);
            out.writeDouble(max);
            writeTiles(out, covered);
        }

        static Reduction read(DataInputStream in, int tiles) throws IOException {
            var r = new Reduction(in.readLong());
            r.max = in.readDouble();
            r.covered.or(readTiles(in, tiles));
            return r;
        }
    }

    /** One proposal and what is known of the votes on it. */
    private static final class Proposal {
        final int origin;
        final int seq;
        final long tick;
        final SteeringCommand command;
        final StopReason stop;
        final BitSet voted = new BitSet();
        int refuser = -1;
        CommandOutcome refusal;

        Proposal(int origin, int seq, long tick, SteeringCommand command, StopReason stop) {
            this.origin = origin;
            this.seq = seq;
            this.tick = tick;
            this.command = command;
            this.stop = stop;
        }

        long key() {
            return (long) origin << 32 | seq;
        }

        /** Keeps the refusal of the lowest rank, so every tile ends with the same reason. */
        void refuse(int by, CommandOutcome o) {
            if (refuser < 0 || by < refuser) {
                refuser = by;
                refusal = o;
            }
        }

        void write(DataOutputStream out) throws IOException {
            out.writeInt(origin);
            out.writeInt(seq);
            out.writeLong(tick);
            out.writeInt(stop == null ? -1 : stop.ordinal());
            if (command != null) {
                out.writeLong(command.seq());
                out.writeInt(command.rawCode());
                out.writeUTF(command.key());
                for (double a : command.args()) {
                    out.writeDouble(a);
                }
                out.writeLong(command.posterPid());
            }
            writeTiles(out, voted);
            out.writeInt(refuser);
            if (refuser >= 0) {
                out.writeInt(refusal.verdict().ordinal());
                out.writeUTF(refusal.message());
            }
        }

        static Proposal read(DataInputStream in, int tiles) throws IOException {
            int origin = in.readInt();
            int seq = in.readInt();
            long tick = in.readLong();
            int stop = in.readInt();
            SteeringCommand command = null;
            if (stop < 0) {
                long cseq = in.readLong();
                int code = in.readInt();
                String key = in.readUTF();
                double[] args = new double[dev.heatgrid.segment.SegmentDescriptor.COMMAND_ARG_COUNT];
                for (int i = 0; i < args.length; i++) {
                    args[i] = in.readDouble();
                }
                long pid = in.readLong();
                command = new SteeringCommand(cseq, SteeringCode.of(code), code, key, args, pid);
            } else if (stop >= StopReason.values().length) {
                throw new IOException("unknown stop reason " + stop);
            }
            var p = new Proposal(origin, seq, tick, command, stop < 0 ? null : StopReason.values()[stop]);
            p.voted.or(readTiles(in, tiles));
            int refuser = in.readInt();
            if (refuser >= 0) {
                int verdict = in.readInt();
                p.refuser = refuser;
                p.refusal = new CommandOutcome(CommandOutcome.Verdict.values()[verdict], in.readUTF());
            }
            return p;
        }

        @Override
        public String toString() {
            return (command != null ? command.toString() : "stop (" + stop + ")") + " from tile " + origin;
        }
    }
}
