package dev.heatgrid.viewer;

import java.util.Locale;

/** How a block of cells becomes one pixel when the grid has more cells than the panel has pixels. */
public enum Reduction {
    /** Average of the block: keeps totals and smooth fields faithful. */
    MEAN,
    /** Largest cell of the block: a one-cell hot spot stays visible however far the view is shrunk. */
    MAX;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Reduction parse(String name) {
        if (name != null) {
            for (Reduction r : values()) {
                if (r.id().equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown downsampling '" + name + "'; allowed: mean, max");
    }

    @Override
    public String toString() {
        return id();
    }
}
