/**
 * heatgrid serve as a library: a read-only live page of a segment for browsers (embedded Jetty,
 * WebSocket). A reader like the viewer, whose colour maps and frame sampler it uses; never the solver.
 */
module dev.heatgrid.web {
    // ServeOptions and LiveServer speak of the viewer's colour maps and ranges (and the segment).
    requires transitive dev.heatgrid.viewer;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.websocket.server;
    requires com.fasterxml.jackson.databind;

    // Exported to all, Jetty included: it calls each Browser's listener methods through public lookups.
    exports dev.heatgrid.web;
}
