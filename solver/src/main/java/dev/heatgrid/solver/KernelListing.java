package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.FieldSpec;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.ParameterSpec;
import java.util.Locale;

/** The text of {@code heatgrid kernels}: every kernel with its fields, parameters and stability rule. */
public final class KernelListing {
    private KernelListing() {
    }

    public static String format(KernelCatalog catalog) {
        var out = new StringBuilder();
        for (Kernel k : catalog.kernels()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(format(k));
        }
        out.append('\n').append("Parameters every kernel takes (engine):\n");
        out.append(String.format(Locale.ROOT, "  %-10s %-8s %-12s %-22s %s%n", "dt", "real", "auto", "(0, inf)",
                "time step; auto = what the stability rule allows, with margin; steerable"));
        out.append(String.format(Locale.ROOT, "  %-10s %-8s %-12s %-22s %s%n", Heater.KEY, "text", "none",
                "X0,Y0,X1,Y1,TEMP", "nodes x0..x1, y0..y1 of the first field held at TEMP; set when the run"
                        + " starts, not steerable"));
        return out.toString();
    }

    /** One kernel's block. */
    public static String format(Kernel k) {
        var out = new StringBuilder();
        out.append(k.name()).append(" - ").append(k.description()).append('\n');
        out.append("  fields: ");
        boolean first = true;
        for (FieldSpec f : k.fields()) {
            out.append(first ? "" : ", ").append(f.name());
            if (!f.description().isEmpty()) {
                out.append(" (").append(f.description()).append(f.evolving() ? "" : ", constant").append(')');
            }
            first = false;
        }
        out.append('\n');
        out.append("  stability: ").append(k.stability().description()).append('\n');
        if (k.parameters().isEmpty()) {
            out.append("  parameters: none\n");
        } else {
            out.append("  parameters:\n");
            for (ParameterSpec p : k.parameters()) {
                out.append(String.format(Locale.ROOT, "    %-10s %-8s %-12s %-22s %s%n", p.name(), p.type().label(),
                        p.format(p.defaultValue()), p.range(), p.description()));
            }
        }
        return out.toString();
    }
}
