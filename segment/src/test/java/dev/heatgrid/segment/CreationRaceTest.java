package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single writer in every race: two processes creating the same name over what a crash left (a
 * crashed run's segment, or a kept one that never published), started together, round after round.
 * Exactly one may become the writer; the other must fail naming it, and the file at the name must be
 * the winner's. (Before the fix both won in about one round in five: the second replaced the first's
 * new file after locking the writer byte of the old one, and the first wrote into a deleted inode.)
 */
class CreationRaceTest {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Rounds of each case (crashed, kept never published): 200 in every build, 1000 with -Ptorture. */
    private static final int ROUNDS_PER_CASE = Integer.getInteger("heatgrid.race.rounds", 200);
    private static final int ROUNDS = 2 * ROUNDS_PER_CASE;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void twoCreatorsOnACrashedNameNeverBothBecomeTheWriter() throws Exception {
        Path path = dir.resolve("race.hgrid");
        Path controlFile = dir.resolve("race.control");
        Files.write(controlFile, new byte[16]);
        long deadPid = JvmProcess.deadPid();
        MappedByteBuffer control;
        try (FileChannel channel = FileChannel.open(controlFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            control = channel.map(FileChannel.MapMode.READ_WRITE, 0, 16);
        }
        List<String> doubleWins = new ArrayList<>();
        List<String> wrongAnswers = new ArrayList<>();
        int[] wins = new int[2];
        int[] decidedRounds = new int[2]; // [crashed, kept never published]: rounds with exactly one writer
        try (JvmProcess a = JvmProcess.start(RaceCreatorMain.class, controlFile.toString(), path.toString(),
                Integer.toString(ROUNDS));
             JvmProcess b = JvmProcess.start(RaceCreatorMain.class, controlFile.toString(), path.toString(),
                     Integer.toString(ROUNDS))) {
            JvmProcess[] racers = {a, b};
            for (int k = 1; k <= ROUNDS; k++) {
                leaveCrashedSegment(path, deadPid, k % 2 == 0);
                LONGS.setVolatile(control, 0, (long) k); // go
                String[] lines = new String[2];
                for (int i = 0; i < 2; i++) {
                    lines[i] = racers[i].awaitLine("ROUND " + k + " ", Duration.ofSeconds(60));
                }
                boolean aWon = lines[0].contains(" WON ");
                boolean bWon = lines[1].contains(" WON ");
                if (aWon && bWon) {
                    doubleWins.add("round " + k + ": " + lines[0] + " / " + lines[1]);
                } else {
                    assertTrue(aWon || bWon, "round " + k + ": nobody won: " + lines[0] + " / " + lines[1]);
                    String loser = aWon ? lines[1] : lines[0];
                    long winner = aWon ? a.pid() : b.pid();
                    if (!loser.contains("SegmentBusyException") || !loser.contains("pid " + winner)) {
                        wrongAnswers.add("round " + k + ": the loser does not name the winner " + winner + ": " + loser);
                    }
                    try (FrameReader reader = FrameReader.open(path)) {
                        assertEquals(winner, reader.writer().pid(), "round " + k + ": the name leads to another file");
                    }
                    wins[aWon ? 0 : 1]++;
                    decidedRounds[k % 2]++;
                }
                LONGS.setVolatile(control, 8, (long) k); // release
                for (int i = 0; i < 2; i++) {
                    if (lines[i].contains(" WON ")) {
                        racers[i].awaitLine("CLOSED " + k, Duration.ofSeconds(60));
                    }
                }
            }
        }
        System.out.printf("creation race: %d rounds (%d over a crashed segment, %d over a kept one that never"
                + " published), %d + %d single wins, %d double wins, %d losers naming someone else%n", ROUNDS,
                decidedRounds[1], decidedRounds[0], wins[0], wins[1], doubleWins.size(), wrongAnswers.size());
        assertEquals(List.of(), doubleWins, "two writers on one name");
        assertEquals(List.of(), wrongAnswers, "a loser named someone other than the writer");
    }

    /** What a crash leaves at the name: a whole segment whose writer (a dead pid) never said it exited. */
    private static void leaveCrashedSegment(Path path, long deadPid, boolean keptNeverPublished) throws Exception {
        SegmentSpec spec = SegmentSpec.of(8, 8, "T").withKeep(keptNeverPublished);
        SegmentLayout layout = SegmentLayout.forNewSegment(spec);
        Path temp = path.resolveSibling(path.getFileName() + ".fabricated");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE); Arena arena = Arena.ofConfined()) {
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, layout.fileSize(), arena);
            mapping.fill((byte) 0);
            layout.write(mapping);
            mapping.set(SegmentLayout.U64, SegmentDescriptor.WRITER_PID_OFFSET, deadPid);
            mapping.set(SegmentLayout.U64, SegmentDescriptor.WRITER_START_OFFSET, 12345);
            mapping.set(SegmentLayout.U32, SegmentDescriptor.WRITER_STATE_OFFSET, WriterState.RUNNING.code());
            if (!keptNeverPublished) {
                mapping.set(SegmentLayout.U64, SegmentDescriptor.GENERATION_OFFSET, 1);
                mapping.set(SegmentLayout.U64, layout.bufferOffset(1), FrameDescriptor.completeSeq(1));
            }
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
