package dev.heatgrid.segment;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Locale;

/**
 * Opens a segment's name as a regular file and nothing else: never through a symbolic link, and
 * never blocking (a FIFO or a device planted at the name would make a plain open wait forever).
 *
 * <p>On Linux the name is opened once with {@code O_NOFOLLOW | O_NONBLOCK} through FFM; the file
 * that open returned is checked through {@code /proc/self/fd/N} (a stat of the open file, not of
 * the name) and, being a regular file, re-opened from there as a {@link FileChannel}: the same inode,
 * whatever happens to the name meanwhile. Elsewhere the name is checked with {@code lstat} and
 * opened with {@code O_NOFOLLOW}; a FIFO swapped in between those two calls could still block.
 */
final class SafeOpen {
    /**
     * The opened file.
     *
     * @param channel the file, opened as asked
     * @param key     its identity (device and inode), for comparing with what the name leads to later
     * @param owner   its owner's name, or null where the file system has none
     */
    record Opened(FileChannel channel, Object key, String owner) {
    }

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_NOFOLLOW;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int ELOOP = 40;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        int noFollow = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64", "riscv64" -> 0x20000;
            case "aarch64" -> 0x8000;
            default -> 0;
        };
        MethodHandle open = null;
        MethodHandle close = null;
        if (os.contains("linux") && noFollow != 0 && Files.isDirectory(Path.of("/proc/self/fd"))) {
            try {
                Linker linker = Linker.nativeLinker();
                open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
                close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            } catch (RuntimeException | LinkageError e) {
                open = null; // no native access allowed: fall back to lstat + O_NOFOLLOW
                close = null;
            }
        }
        OPEN = open;
        CLOSE = close;
        O_NOFOLLOW = noFollow;
    }

    private SafeOpen() {
    }

    /** Opens {@code path} read-only or read-write; refuses links and anything but a regular file. */
    static Opened open(Path path, boolean write) throws IOException {
        requireRegular(path, Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        if (OPEN == null) {
            FileChannel channel = write
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
                    : FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            return opened(channel, path, LinkOption.NOFOLLOW_LINKS);
        }
        int fd = openNative(path, write);
        Object key = null;
        try {
            // A stat of the open file, not of the name: /proc/self/fd/N leads to the inode we hold.
            Path self = Path.of("/proc/self/fd", Integer.toString(fd));
            BasicFileAttributes attrs = Files.readAttributes(self, BasicFileAttributes.class);
            key = attrs.fileKey();
            requireRegular(path, attrs);
            FileChannel channel = write
                    ? FileChannel.open(self, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(self, StandardOpenOption.READ);
            try {
                return opened(channel, self);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } finally {
            // Closing it would drop every fcntl lock this process holds on the file (POSIX): while
            // this JVM is attached to it, the descriptor stays open until the attachment ends.
            Attachments.closeWhenDetached(key, () -> closeNative(fd));
        }
    }

    private static Opened opened(FileChannel channel, Path file, LinkOption... options) throws IOException {
        BasicFileAttributes attrs;
        String owner;
        try {
            PosixFileAttributes posix = Files.readAttributes(file, PosixFileAttributes.class, options);
            owner = posix.owner().getName();
            attrs = posix;
        } catch (UnsupportedOperationException e) {
            owner = null; // no owners on this file system
            attrs = Files.readAttributes(file, BasicFileAttributes.class, options);
        }
        Object key = attrs.fileKey() != null ? attrs.fileKey() : file.toAbsolutePath().normalize().toString();
        return new Opened(channel, key, owner);
    }

    private static void requireRegular(Path path, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) {
            throw new NotASegmentFileException(path, "a symbolic link; heatgrid never opens a segment through a link");
        }
        if (!attrs.isRegularFile()) {
            throw new NotASegmentFileException(path, attrs.isDirectory() ? "a directory"
                    : "not a regular file (a FIFO, socket or device)");
        }
    }

    private static int openNative(Path path, boolean write) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            MemorySegment state = arena.allocate(CALL_STATE);
            int flags = (write ? O_RDWR : 0) | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
            int fd = (int) OPEN.invokeExact(state, name, flags, 0);
            if (fd >= 0) {
                return fd;
            }
            int errno = (int) ERRNO.get(state, 0L);
            throw switch (errno) {
                case ENOENT -> new NoSuchFileException(path.toString(), null, "no segment at " + path);
                case EACCES -> new AccessDeniedException(path.toString(), null, "no permission to "
                        + (write ? "write" : "read") + " segment " + path);
                case ELOOP -> new NotASegmentFileException(path,
                        "a symbolic link; heatgrid never opens a segment through a link");
                default -> new IOException("cannot open segment " + path + " (errno " + errno + ")");
            };
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("cannot open segment " + path, t);
        }
    }

    private static void closeNative(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ") failed", t);
        }
    }
}
