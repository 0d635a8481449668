package dev.heatgrid.viewer;

/**
 * How a grid of {@code nx} by {@code ny} cells is cut into blocks of {@code blockX} by {@code blockY}
 * cells, one pixel each; blocks on the right and top edges may be partial.
 */
public record BlockGrid(int nx, int ny, int blockX, int blockY) {
    public BlockGrid {
        if (nx < 1 || ny < 1 || blockX < 1 || blockY < 1) {
            throw new IllegalArgumentException("grid " + nx + "x" + ny + " in blocks of " + blockX + "x" + blockY);
        }
    }

    /**
     * The smallest blocks that make the grid fit in {@code maxWidth} by {@code maxHeight} pixels
     * (1 by 1, no downsampling, when it already fits). Each axis is reduced on its own, so a
     * long thin grid keeps the detail of its short side.
     */
    public static BlockGrid fitting(int nx, int ny, int maxWidth, int maxHeight) {
        int width = Math.max(1, maxWidth);
        int height = Math.max(1, maxHeight);
        return new BlockGrid(nx, ny, ceilDiv(nx, width), ceilDiv(ny, height));
    }

    /** Pixels across. */
    public int width() {
        return ceilDiv(nx, blockX);
    }

    /** Pixels down. */
    public int height() {
        return ceilDiv(ny, blockY);
    }

    public boolean downsampled() {
        return blockX > 1 || blockY > 1;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
