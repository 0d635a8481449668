package dev.heatgrid.solver.spi;

/**
 * A field a kernel keeps in every frame.
 *
 * @param name         as stored in the segment (letters, digits, '_', '.', '-'; at most 15 bytes)
 * @param description  one line for {@code heatgrid kernels}
 * @param initialValue the value every node starts with, unless the user's initial condition sets
 *                     this field (it sets the first field) or {@link Kernel#initialize} does
 * @param evolving     false for a field the kernel only reads (say, a conductivity map): the engine
 *                     carries it from frame to frame and the kernel never writes it
 */
public record FieldSpec(String name, String description, double initialValue, boolean evolving) {
    public FieldSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("field name is empty");
        }
        if (!Double.isFinite(initialValue)) {
            throw new IllegalArgumentException("field '" + name + "': initial value " + initialValue + " is not finite");
        }
        description = description == null ? "" : description;
    }

    /** A field the kernel steps, starting at 0 everywhere. */
    public static FieldSpec evolving(String name, String description) {
        return new FieldSpec(name, description, 0, true);
    }
}
