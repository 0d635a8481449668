package dev.heatgrid.viewer;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameReader;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Frame to image: reads a field (in place from the mapping, or from a private {@link Frame} copy),
 * reduces it to at most the target size, picks the colour range and colours it into a
 * {@link BufferedImage} backed by an {@code int[]}. The whole path runs off the EDT.
 *
 * <p>Not thread-safe (one render thread); only {@link #recycle} may be called from another thread,
 * to hand back an image the display no longer shows so the next frame can reuse its raster.
 */
public final class HeatmapRenderer {
    private static final int RECYCLED_IMAGES = 3;

    private final FrameSampler sampler = new FrameSampler();
    private final BlockReducer reducer = new BlockReducer();
    private final AutoRange autoRange = new AutoRange();
    private final ArrayBlockingQueue<BufferedImage> recycled = new ArrayBlockingQueue<>(RECYCLED_IMAGES);
    private volatile ColorMap colorMap;
    private volatile ValueRange fixedRange;
    private volatile Reduction reduction;
    /** Set from any thread, acted on by the render thread, which alone touches {@link #autoRange}. */
    private volatile boolean rangeResetRequested;
    private double[] values = new double[0];

    /** @param fixedRange the colour range, or null to follow the data with hysteresis */
    public HeatmapRenderer(ColorMap colorMap, ValueRange fixedRange, Reduction reduction) {
        this.colorMap = colorMap;
        this.fixedRange = fixedRange;
        this.reduction = reduction;
    }

    public HeatmapRenderer(ViewerOptions options) {
        this(options.colorMap(), options.range(), options.reduction());
    }

    /**
     * Renders field {@code f} of the reader's newest consistent frame, read in place, reduced to fit
     * {@code maxWidth} by {@code maxHeight} pixels; null if nothing is published yet.
     *
     * @throws dev.heatgrid.segment.FrameCorruptedException that frame fails its checksum
     * @throws dev.heatgrid.segment.SegmentGoneException    the file was truncated under the mapping
     */
    public RenderedFrame renderNewest(FrameReader reader, int f, int maxWidth, int maxHeight) throws IOException {
        long start = System.nanoTime();
        var layout = reader.layout();
        BlockGrid grid = BlockGrid.fitting(layout.nx(), layout.ny(), maxWidth, maxHeight);
        Reduction r = reduction;
        FrameHeader header = sampler.sample(reader, f, grid, r, valuesFor(grid));
        if (header == null) {
            return null;
        }
        return colour(header, layout.fields().get(f), f, grid, r, GridExtent.of(layout.spec()), start);
    }

    /** Renders field {@code f} of a private copy (e.g. from {@link FrameReader#latest}). */
    public RenderedFrame render(Frame frame, int f, GridExtent extent, int maxWidth, int maxHeight) {
        long start = System.nanoTime();
        BlockGrid grid = BlockGrid.fitting(frame.nx(), frame.ny(), maxWidth, maxHeight);
        Reduction r = reduction;
        reducer.reduce(MemorySegment.ofArray(frame.field(f)), grid, r, valuesFor(grid));
        return colour(frame.header(), frame.fieldNames().get(f), f, grid, r, extent, start);
    }

    private RenderedFrame colour(FrameHeader header, String field, int f, BlockGrid grid, Reduction r,
                                 GridExtent extent, long start) {
        int width = grid.width();
        int height = grid.height();
        ValueRange fixed = fixedRange;
        ColorMap map = colorMap;
        ValueRange range = rangeFor(fixed, map, header.stats().get(f), width * height);
        BufferedImage image = imageOf(width, height);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        HeatImagePainter.paint(values, width, height, range, map, pixels);
        return new RenderedFrame(image, header, field, f, map, range, fixed != null, grid, r, extent,
                System.nanoTime() - start);
    }

    /** The fixed range, or the automatic one from the header's exact field extremes (no pass needed). */
    private ValueRange rangeFor(ValueRange fixed, ColorMap map, FieldStats stats, int count) {
        if (rangeResetRequested) {
            rangeResetRequested = false;
            autoRange.reset();
        }
        if (fixed != null) {
            return fixed;
        }
        double low = stats.min();
        double high = stats.max();
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            // NaN or infinite cells spoil the header's extremes: use the finite values we reduced.
            double[] bounds = ValueRange.finiteBounds(values, count);
            low = bounds[0];
            high = bounds[1];
        }
        if (map.diverging() && low < 0 && high > 0) {
            double reach = Math.max(-low, high);
            low = -reach;
            high = reach;
        }
        return autoRange.update(low, high);
    }

    private double[] valuesFor(BlockGrid grid) {
        int needed = grid.width() * grid.height();
        if (values.length < needed) {
            values = new double[needed];
        }
        return values;
    }

    private BufferedImage imageOf(int width, int height) {
        BufferedImage image;
        while ((image = recycled.poll()) != null) {
            if (image.getWidth() == width && image.getHeight() == height) {
                return image;
            }
        }
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }

    /** Hands back an image that is no longer displayed; its raster is reused for a later frame. */
    public void recycle(BufferedImage image) {
        recycled.offer(image);
    }

    public void setColorMap(ColorMap map) {
        this.colorMap = map;
    }

    /** A fixed colour range, or null to follow the data. */
    public void setFixedRange(ValueRange range) {
        this.fixedRange = range;
        rangeResetRequested = true;
    }

    public void setReduction(Reduction reduction) {
        this.reduction = reduction;
    }

    /** Forgets the automatic range (a new run or another field starts from its own data). */
    public void resetRange() {
        rangeResetRequested = true;
    }

    /** In-place reads thrown away because the writer overtook them. */
    public long tornReads() {
        return sampler.tornReads();
    }
}
