package dev.heatgrid.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two "hosts" on this machine: network namespaces {@code tiles-XXXXXXa} and {@code ...b}, each with
 * its own loopback and one address, joined by a veth pair: directly, or through a third namespace
 * whose {@link ImpairedBridge} delays and drops frames where the kernel has no {@code sch_netem} for
 * {@code tc qdisc ... netem}. Everything it creates is removed by {@link #close} (and by a shutdown
 * hook if the test JVM dies first). Needs root.
 */
final class TwoHosts implements AutoCloseable {
    static final String ADDRESS_A = "10.77.0.1";
    static final String ADDRESS_B = "10.77.0.2";

    private final String suffix;
    private final List<String> namespaces = new ArrayList<>();
    private final Thread cleanup = new Thread(this::removeQuietly);
    private Process bridge;
    /** How the link is impaired, for the test's report. */
    private String impairment = "none";

    private TwoHosts() {
        this.suffix = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Whether this machine lets us create network namespaces; if not, the reason (for a visible skip).
     */
    static String refusal() {
        String probe = "tiles-" + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24)) + "p";
        try {
            Result r = run("ip", "netns", "add", probe);
            if (r.code != 0) {
                return "'ip netns add' refused: " + r.output.strip();
            }
            run("ip", "netns", "del", probe);
            return null;
        } catch (IOException e) {
            return "no 'ip' command (install iproute2): " + e.getMessage();
        }
    }

    /** Two namespaces joined directly by a veth pair. */
    static TwoHosts direct() throws IOException {
        TwoHosts h = new TwoHosts();
        try {
            h.addNamespace(h.a());
            h.addNamespace(h.b());
            h.must("ip", "link", "add", h.a(), "netns", h.a(), "type", "veth", "peer", "name", h.b(), "netns", h.b());
            h.configure(h.a(), h.a(), ADDRESS_A);
            h.configure(h.b(), h.b(), ADDRESS_B);
            return h;
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /**
     * Two namespaces whose link delays every frame by {@code delayMillis} and loses {@code lossPercent}
     * of them in each direction: netem on both ends where the kernel has it, else the user-space bridge.
     */
    static TwoHosts impaired(int delayMillis, double lossPercent) throws IOException {
        TwoHosts h = direct();
        Result netem = run("ip", "netns", "exec", h.a(), "tc", "qdisc", "add", "dev", h.a(), "root", "netem", "delay",
                delayMillis + "ms", "loss", lossPercent + "%");
        if (netem.code == 0) {
            h.must("ip", "netns", "exec", h.b(), "tc", "qdisc", "add", "dev", h.b(), "root", "netem", "delay",
                    delayMillis + "ms", "loss", lossPercent + "%");
            h.impairment = "tc netem delay " + delayMillis + "ms loss " + lossPercent + "% on both ends";
            return h;
        }
        h.close();
        TwoHosts b = new TwoHosts();
        try {
            String middle = "tiles-" + b.suffix + "m";
            b.addNamespace(b.a());
            b.addNamespace(b.b());
            b.addNamespace(middle);
            // a <-> ma and b <-> mb, the bridge forwarding between ma and mb inside the middle namespace
            b.must("ip", "link", "add", b.a(), "netns", b.a(), "type", "veth", "peer", "name", middle + "a", "netns", middle);
            b.must("ip", "link", "add", b.b(), "netns", b.b(), "type", "veth", "peer", "name", middle + "b", "netns", middle);
            b.configure(b.a(), b.a(), ADDRESS_A);
            b.configure(b.b(), b.b(), ADDRESS_B);
            b.must("ip", "-n", middle, "link", "set", middle + "a", "up");
            b.must("ip", "-n", middle, "link", "set", middle + "b", "up");
            var command = new ArrayList<>(List.of("ip", "netns", "exec", middle, dev.heatgrid.segment.testsupport.JvmProcess
                    .javaCommand(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    ImpairedBridge.class.getName(), middle + "a", middle + "b", Long.toString(delayMillis * 1000L),
                    Double.toString(lossPercent), "42"));
            b.bridge = new ProcessBuilder(command).redirectErrorStream(true).start();
            String first = new String(b.bridge.getInputStream().readNBytes(8), StandardCharsets.UTF_8);
            if (!first.startsWith("bridging")) {
                throw new IOException("the impaired bridge did not start: " + first
                        + new String(b.bridge.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            b.impairment = "this kernel has no sch_netem ('" + netem.output.strip() + "'): user-space bridge, delay "
                    + delayMillis + " ms, loss " + lossPercent + "% each way";
            return b;
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    String a() {
        return "tiles-" + suffix + "a";
    }

    String b() {
        return "tiles-" + suffix + "b";
    }

    String impairment() {
        return impairment;
    }

    /** The command prefix that runs a program on host a or b. */
    List<String> on(String namespace) {
        return List.of("ip", "netns", "exec", namespace);
    }

    /** Takes host a's link down (a cable pulled) or up again. */
    void linkA(boolean up) throws IOException {
        must("ip", "-n", a(), "link", "set", a(), up ? "up" : "down");
    }

    private void addNamespace(String name) throws IOException {
        must("ip", "netns", "add", name);
        namespaces.add(name);
    }

    private void configure(String namespace, String link, String address) throws IOException {
        must("ip", "-n", namespace, "addr", "add", address + "/24", "dev", link);
        must("ip", "-n", namespace, "link", "set", link, "up");
        must("ip", "-n", namespace, "link", "set", "lo", "up");
    }

    private void must(String... command) throws IOException {
        Result r = run(command);
        if (r.code != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + r.output.strip());
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end");
            }
            return new Result(p.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void removeQuietly() {
        if (bridge != null) {
            bridge.destroyForcibly();
        }
        for (String ns : namespaces) {
            try {
                run("ip", "netns", "del", ns); // takes its ends of the veth pairs with it
            } catch (IOException e) {
                // best effort: a shutdown hook cannot do more
            }
        }
        namespaces.clear();
    }

    @Override
    public void close() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs anyway
        }
    }
}
