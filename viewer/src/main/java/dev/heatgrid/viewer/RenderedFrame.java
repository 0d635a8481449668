package dev.heatgrid.viewer;

import dev.heatgrid.segment.FrameHeader;
import java.awt.image.BufferedImage;

/**
 * One frame turned into a picture, with everything needed to label it.
 *
 * @param image       one pixel per block, row 0 at the top (highest y)
 * @param header      the frame's header (generation, step, time, statistics)
 * @param field       name of the field shown
 * @param fieldIndex  its index in the segment
 * @param colorMap    map the image was coloured with
 * @param range       values spanned by the colour map
 * @param rangeFixed  whether the range was given by the user (else it follows the data)
 * @param blocks      how cells were grouped into pixels
 * @param reduction   how a block became one value
 * @param extent      where the cells lie in physical units
 * @param renderNanos time from the start of the read to the finished image
 */
public record RenderedFrame(BufferedImage image, FrameHeader header, String field, int fieldIndex, ColorMap colorMap,
                            ValueRange range, boolean rangeFixed, BlockGrid blocks, Reduction reduction,
                            GridExtent extent, long renderNanos) {
    public long generation() {
        return header.generation();
    }
}
