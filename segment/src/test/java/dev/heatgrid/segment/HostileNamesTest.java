package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.OtherUser;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What other users (or accidents) can put at a segment's name: a FIFO, a link, a leftover owned by
 * someone else. Nothing blocks, nothing is followed, nothing aborts.
 */
class HostileNamesTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void aFifoAtTheNameIsRefusedAtOnceByEveryOpener() throws Exception {
        Path fifo = dir.resolve("fifo.hgrid");
        mkfifo(fifo);
        assertTimeoutPreemptively(PROMPTLY, () -> {
            NotASegmentFileException e = assertThrows(NotASegmentFileException.class, () -> FrameReader.open(fifo));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
            assertThrows(NotASegmentFileException.class, () -> FrameReader.open(fifo, true));
            assertThrows(NotASegmentFileException.class, () -> SteeringClient.open(fifo));
            assertThrows(NotASegmentFileException.class, () -> SegmentWriter.resume(fifo));
            assertThrows(NotASegmentFileException.class, () -> SegmentWriter.create(fifo, SegmentSpec.of(8, 8, "T")));
        });
        assertTrue(Files.exists(fifo), "the FIFO was replaced");
    }

    @Test
    void aLinkAtTheNameIsNeverFollowedWhoeverOwnsIt() throws Exception {
        Path target = dir.resolve("target.hgrid");
        SegmentWriter.create(target, SegmentSpec.of(8, 8, "T").withKeep(true)).close();
        Path link = dir.resolve("link.hgrid");
        Files.createSymbolicLink(link, target);
        if (OtherUser.available()) {
            OtherUser.chown(link); // planted by another user, pointing at one of ours: the owner check saw the target
        }
        Path fifo = dir.resolve("pipe");
        mkfifo(fifo);
        Path linkToFifo = dir.resolve("pipe.hgrid");
        Files.createSymbolicLink(linkToFifo, fifo);
        assertTimeoutPreemptively(PROMPTLY, () -> {
            for (Path name : List.of(link, linkToFifo)) {
                NotASegmentFileException e = assertThrows(NotASegmentFileException.class,
                        () -> FrameReader.open(name, true));
                assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
                assertThrows(NotASegmentFileException.class, () -> SteeringClient.open(name, true));
                assertThrows(NotASegmentFileException.class, () -> SegmentWriter.resume(name, true));
            }
        });
    }

    @Test
    void groupReadableMeansGroupReadableWhateverTheUmask() throws Exception {
        Path path = dir.resolve("umask.hgrid");
        String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        try (JvmProcess child = JvmProcess.start(List.of("sh", "-c", "umask 077; exec \"$0\" \"$@\""), List.of(),
                CreateMain.class, path.toString(), group)) {
            assertEquals(0, child.waitFor(Duration.ofSeconds(60)), child.stderr());
            assertEquals("MODE rw-r-----", child.awaitLine("MODE", Duration.ofSeconds(1)));
        }
    }

    @Test
    void cleaningGoesOnPastAnotherUsersLeftovers() throws Exception {
        Assumptions.assumeTrue(OtherUser.available(), "needs root to run a child as another user");
        assertEquals(0, new ProcessBuilder("chmod", "1777", dir.toString()).inheritIO().start().waitFor()); // like /dev/shm
        Path theirs = dir.resolve(".a.hgrid.creating-" + JvmProcess.deadPid() + "-abc123");
        Files.writeString(theirs, ""); // root's, half created by a dead process
        Path mine = dir.resolve("mine.hgrid");
        SegmentWriter.create(mine, SegmentSpec.of(8, 8, "T").withKeep(false)).close();
        Path crashed = dir.resolve("crashed.hgrid");
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, crashed.toString(), "8", "8", "2", "60")) {
            writer.awaitLine("READY", Duration.ofSeconds(30));
            writer.kill();
        }
        OtherUser.chown(crashed); // nobody's own crashed run, which nobody may remove
        try (JvmProcess clean = JvmProcess.start(OtherUser.prefix(), OtherUser.jvmOptions(CleanMain.class), CleanMain.class,
                dir.toString())) {
            assertEquals(0, clean.waitFor(Duration.ofSeconds(60)), clean.stdout() + clean.stderr());
            String out = clean.stdout();
            assertTrue(out.contains("SKIPPED " + theirs.getFileName()) && out.contains("belongs to user 'root'"), out);
            assertTrue(out.contains("REMOVED crashed.hgrid"), out);
            assertTrue(out.contains("DONE"), out);
        }
        Assumptions.assumeFalse(Files.exists(mine)); // (removed by its clean exit already)
        assertTrue(Files.exists(theirs), "another user's file was removed");
        assertTrue(!Files.exists(crashed), "nobody's own leftover was not cleaned");
    }

    private static void mkfifo(Path path) throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor(), "mkfifo");
    }
}
