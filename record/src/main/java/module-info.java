/**
 * Records a run into files scientists' tools open: HDF5 (the HDF Group's libhdf5, called with FFM)
 * with an XDMF index, or VTK ImageData series. Depends on the segment only, never on the solver.
 */
module dev.heatgrid.record {
    // Recorder and FrameSink speak of the segment's frames and specs.
    requires transitive dev.heatgrid.segment;

    exports dev.heatgrid.record;
}
