package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output written through a temporary file must end up as a file written in place would: a new
 * one with the mode the umask gives, a replaced one with the mode it had (a 0600 temporary file
 * renamed over the name made every picture and snapshot private).
 */
class AtomicFileWriterTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileGetsTheModeTheUmaskGives() throws Exception {
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path written = dir.resolve("written.txt");
        AtomicFileWriter.write(written, out -> out.write("x".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
        assertEquals("x", Files.readString(written));
    }

    @Test
    void aReplacedFileKeepsItsMode() throws Exception {
        Path file = Files.writeString(dir.resolve("shared.png"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFileWriter.write(file, out -> out.write("new".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("new", Files.readString(file));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
    }
}
