package dev.heatgrid.segment;

/** Where a segment's name points now, compared with the file an attachment mapped. */
public enum PathState {
    /** The name still leads to the mapped file. */
    SAME,
    /** The name now leads to another file: a new run replaced the segment; re-attach to follow it. */
    REPLACED,
    /** The name leads nowhere: the segment was removed; the mapped file lives on until unmapped. */
    REMOVED
}
