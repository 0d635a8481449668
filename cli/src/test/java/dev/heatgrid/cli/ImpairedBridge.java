package dev.heatgrid.cli;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.SplittableRandom;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * {@code tc qdisc ... netem delay D loss P} in user space, for kernels built without sch_netem: an
 * Ethernet bridge between two interfaces (raw AF_PACKET sockets) that holds every frame for D and
 * drops a fraction P of them, in each direction. Started inside the middle network namespace of
 * two "hosts" joined through it: {@code ImpairedBridge IF_A IF_B DELAY_MICROS LOSS_PERCENT SEED}.
 * Runs until killed or an interface disappears.
 */
public final class ImpairedBridge {
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    /** htons(ETH_P_ALL): every protocol. */
    private static final short ETH_P_ALL_BE = 0x0300;
    private static final int PACKET_OUTGOING = 4;
    private static final int SOCKADDR_LL = 20;
    private static final int MAX_FRAME = 65_536;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = handle("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SEND = handle("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG,
            JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = handle("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private ImpairedBridge() {
    }

    public static void main(String[] args) throws Throwable {
        String a = args[0];
        String b = args[1];
        long delayNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[2]));
        double loss = Double.parseDouble(args[3]) / 100;
        long seed = Long.parseLong(args[4]);
        int fa = open(a);
        int fb = open(b);
        Thread ab = Thread.ofPlatform().name("bridge " + a + " -> " + b).start(() -> forward(fa, fb, delayNanos, loss, seed));
        Thread ba = Thread.ofPlatform().name("bridge " + b + " -> " + a).start(() -> forward(fb, fa, delayNanos, loss, seed + 1));
        System.out.println("bridging " + a + " and " + b + ": delay " + args[2] + " us, loss " + args[3] + " %");
        System.out.flush();
        ab.join();
        ba.join();
    }

    /** A raw socket bound to interface {@code name}. */
    private static int open(String name) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            int index = (int) IF_NAMETOINDEX.invokeExact(arena.allocateFrom(name));
            if (index == 0) {
                throw new IllegalArgumentException("no interface " + name);
            }
            int fd = (int) SOCKET.invokeExact(AF_PACKET, SOCK_RAW, (int) ETH_P_ALL_BE);
            if (fd < 0) {
                throw new IllegalStateException("socket(AF_PACKET) failed: are we root?");
            }
            MemorySegment addr = arena.allocate(SOCKADDR_LL);
            addr.set(JAVA_SHORT, 0, (short) AF_PACKET);
            addr.set(JAVA_SHORT, 2, ETH_P_ALL_BE);
            addr.set(JAVA_INT, 4, index);
            if ((int) BIND.invokeExact(fd, addr, SOCKADDR_LL) != 0) {
                throw new IllegalStateException("bind to " + name + " failed");
            }
            return fd;
        }
    }

    /** Frames read from {@code from} leave on {@code to} {@code delayNanos} later, unless dropped. */
    private static void forward(int from, int to, long delayNanos, double loss, long seed) {
        var queue = new DelayQueue<Held>();
        Thread sender = Thread.ofPlatform().daemon().start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(MAX_FRAME);
                while (true) {
                    Held h = queue.take();
                    MemorySegment.copy(h.frame, 0, out, JAVA_BYTE, 0, h.frame.length);
                    long sent = (long) SEND.invokeExact(to, out, (long) h.frame.length, 0);
                    if (sent < 0) {
                        return; // the interface is gone
                    }
                }
            } catch (Throwable t) {
                // ends with the bridge
            }
        });
        var random = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(MAX_FRAME);
            MemorySegment addr = arena.allocate(SOCKADDR_LL);
            MemorySegment addrLength = arena.allocate(JAVA_INT);
            while (sender.isAlive()) {
                addrLength.set(JAVA_INT, 0, SOCKADDR_LL);
                long n = (long) RECVFROM.invokeExact(from, buffer, (long) MAX_FRAME, 0, addr, addrLength);
                if (n < 0) {
                    return; // the interface is gone
                }
                if (addr.get(JAVA_BYTE, 10) == PACKET_OUTGOING || random.nextDouble() < loss) {
                    continue; // our own frame leaving this side, or one the link loses
                }
                byte[] frame = buffer.asSlice(0, n).toArray(JAVA_BYTE);
                clearUdpChecksum(frame);
                queue.add(new Held(System.nanoTime() + delayNanos, frame));
            }
        } catch (Throwable t) {
            // ends with the bridge
        }
    }

    /**
     * A veth leaves the UDP checksum to "hardware" that never computes it, so a frame taken off the
     * wire here carries a partial one the other end would reject; an IPv4 UDP checksum of zero
     * means "none" (RFC 768), which every receiver accepts.
     */
    private static void clearUdpChecksum(byte[] f) {
        boolean ipv4 = f.length >= 34 && f[12] == 0x08 && f[13] == 0x00;
        if (!ipv4) {
            return;
        }
        int ipHeader = (f[14] & 0x0f) * 4;
        boolean udp = f[14 + 9] == 17;
        int checksum = 14 + ipHeader + 6;
        if (udp && checksum + 2 <= f.length) {
            f[checksum] = 0;
            f[checksum + 1] = 0;
        }
    }

    private record Held(long due, byte[] frame) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(due, ((Held) o).due);
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), descriptor);
    }
}
