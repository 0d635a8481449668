/**
 * JMH benchmarks and cross-process harnesses. The only module the solver's step engine and built-in
 * kernels are exported to. It runs as benchmarks.jar on the class path (JMH forks JVMs from it), and
 * nothing depends on it: {@code heatgrid bench} starts that jar as a JVM of its own.
 */
@SuppressWarnings("requires-automatic") // JMH, Aeron and JFreeChart name no module of their own (or only in a manifest)
module dev.heatgrid.bench {
    requires dev.heatgrid.solver;
    requires dev.heatgrid.viewer;
    requires dev.heatgrid.tiles;
    requires dev.heatgrid.web;
    requires dev.heatgrid.record;
    requires jmh.core;
    requires io.aeron.all;
    requires org.jfree.jfreechart;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires java.management; // BrowsersOnServe: the server's own CPU time, per thread
}
