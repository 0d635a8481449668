package dev.heatgrid.viewer;

/** The size of a PNG in pixels, e.g. {@code 1000x800}. */
public record ImageSize(int width, int height) {
    public static final int MIN = 200;
    public static final int MAX = 8192;
    public static final ImageSize DEFAULT = new ImageSize(1000, 800);

    public ImageSize {
        if (width < MIN || width > MAX || height < MIN || height > MAX) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " is out of range; allowed: "
                    + MIN + " to " + MAX + " pixels each way");
        }
    }

    /** Parses {@code WIDTHxHEIGHT}. */
    public static ImageSize parse(String text) {
        String form = "expected WIDTHxHEIGHT in pixels, e.g. 1000x800, each " + MIN + ".." + MAX;
        if (text == null) {
            throw new IllegalArgumentException("no image size given; " + form);
        }
        String[] parts = text.strip().toLowerCase(java.util.Locale.ROOT).split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("image size '" + text + "': " + form);
        }
        try {
            int width = Integer.parseInt(parts[0].strip());
            int height = Integer.parseInt(parts[1].strip());
            if (width < MIN || width > MAX || height < MIN || height > MAX) {
                throw new IllegalArgumentException("image size '" + text + "': " + form);
            }
            return new ImageSize(width, height);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("image size '" + text + "': " + form);
        }
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
