package dev.heatgrid.bench.ipc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace for the benchmark's browsers, joined to this one by a veth pair: the browsers
 * reach the server over real TCP through an interface, as from another machine, instead of over
 * loopback. It shares this machine's CPUs, so it shows the network path and nothing else. Needs
 * root ({@code ip netns}); names start with {@code serve-} and carry this process's id, so runs of
 * other helpers never collide, and {@link #close()} removes the namespace and with it both ends.
 */
final class BrowserNetwork implements AutoCloseable {
    private final String namespace;
    private final String hostAddress;

    private BrowserNetwork(String namespace, String hostAddress) {
        this.namespace = namespace;
        this.hostAddress = hostAddress;
    }

    static BrowserNetwork create() throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        String namespace = "serve-bench-" + pid;
        String outside = "serve-h" + pid % 10_000_000; // interface names: at most 15 characters
        String inside = "serve-b" + pid % 10_000_000;
        // A /30 of 10.213/16 picked by the pid: two of these benchmarks at once would not share one.
        int net = (int) (pid % 16_000) * 4;
        String prefix = "10.213." + (net >> 8) + ".";
        String host = prefix + ((net & 0xFF) + 1);
        String browser = prefix + ((net & 0xFF) + 2);
        var network = new BrowserNetwork(namespace, host);
        try {
            ip("netns", "add", namespace);
            ip("link", "add", outside, "type", "veth", "peer", "name", inside);
            ip("link", "set", inside, "netns", namespace);
            ip("addr", "add", host + "/30", "dev", outside);
            ip("link", "set", outside, "up");
            ip("netns", "exec", namespace, "ip", "addr", "add", browser + "/30", "dev", inside);
            ip("netns", "exec", namespace, "ip", "link", "set", inside, "up");
            ip("netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                network.close();
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return network;
    }

    /** The server's address as the browsers see it (bind the server here). */
    String hostAddress() {
        return hostAddress;
    }

    /** {@code command} run inside the namespace. */
    List<String> inside(List<String> command) {
        var wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        wrapped.addAll(command);
        return wrapped;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ip("netns", "del", namespace); // takes the veth pair with it
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
