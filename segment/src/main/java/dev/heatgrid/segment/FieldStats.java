package dev.heatgrid.segment;

/**
 * Statistics of one field of one frame, computed by the writer and stored in the frame header so
 * readers never recompute them.
 *
 * @param min      smallest cell value
 * @param max      largest cell value
 * @param mean     mean cell value
 * @param total    sum of cell values times dx * dy (total heat, for the heat equation)
 * @param checksum {@link FrameChecksum} of the field's data
 */
public record FieldStats(double min, double max, double mean, double total, long checksum) {
}
