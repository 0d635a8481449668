package dev.heatgrid.viewer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The colour maps a field can be shown with. All are perceptually ordered: equal steps in value
 * look like equal steps in colour, so the picture does not invent edges the data does not have.
 * Values outside the range take the end colours; NaN cells are drawn in {@link #NAN_ARGB}, a colour
 * none of the maps contains.
 */
public enum ColorMap {
    /** Black through red to light yellow; the default (matplotlib's published table). */
    INFERNO("inferno", "black-red-yellow, perceptually uniform (default)"),
    /** Dark blue through green to yellow (matplotlib's published table). */
    VIRIDIS("viridis", "blue-green-yellow, perceptually uniform"),
    /** Black to white, linear in lightness. */
    GRAYSCALE("grayscale", "black-white, linear in lightness"),
    /** Blue through light grey to red, for values around a reference (Moreland's cool-warm). */
    COOLWARM("coolwarm", "diverging blue-grey-red, for values around a midpoint");

    /** Entries per table. */
    public static final int SIZE = 256;
    /** Colour of NaN cells: magenta, which no map uses, so missing data never passes for a value. */
    public static final int NAN_ARGB = 0xFFFF00FF;

    private final String id;
    private final String description;
    private final int[] table;

    ColorMap(String id, String description) {
        this.id = id;
        this.description = description;
        this.table = switch (id) {
            case "grayscale" -> ColorTable.uniformGray();
            case "coolwarm" -> ColorTable.knots("colormaps/coolwarm.txt");
            default -> ColorTable.listed("colormaps/" + id + ".txt");
        };
    }

    /** The name users type: {@code inferno}, {@code viridis}, {@code grayscale}, {@code coolwarm}. */
    public String id() {
        return id;
    }

    /**
     * Whether the map has a neutral middle (coolwarm): an automatic range then puts zero there when
     * the data has both signs, so the colour says which side of zero a value is on.
     */
    public boolean diverging() {
        return this == COOLWARM;
    }

    /** One line for help texts. */
    public String description() {
        return description;
    }

    /** Colour of the lowest value. */
    public int bottomArgb() {
        return table[0];
    }

    /** Colour of the highest value. */
    public int topArgb() {
        return table[SIZE - 1];
    }

    /** Colour at {@code fraction} of the range (0 bottom, 1 top; clamped), NaN gives {@link #NAN_ARGB}. */
    public int argb(double fraction) {
        if (Double.isNaN(fraction)) {
            return NAN_ARGB;
        }
        return table[(int) Math.clamp(fraction * SIZE, 0, SIZE - 1)];
    }

    /** Entry {@code i} of the table. */
    public int entry(int i) {
        return table[i];
    }

    /** The table itself, for the colouring loop; never modified. */
    int[] table() {
        return table;
    }

    /** Parses a map name (case-insensitive; "gray", "greyscale", "grey" accepted). */
    public static ColorMap parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("no colour map given; allowed: " + names());
        }
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (key.equals("gray") || key.equals("grey") || key.equals("greyscale")) {
            return GRAYSCALE;
        }
        for (ColorMap map : values()) {
            if (map.id.equals(key)) {
                return map;
            }
        }
        throw new IllegalArgumentException("unknown colour map '" + name + "'; allowed: " + names());
    }

    /** The allowed names, comma-separated, for messages and help. */
    public static String names() {
        return Arrays.stream(values()).map(ColorMap::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
