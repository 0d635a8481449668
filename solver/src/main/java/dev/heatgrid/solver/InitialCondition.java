package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Subnormals;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What the first field holds at step 0 ({@code --init}). Dirichlet edges and the heater are
 * imposed on top afterwards. Text forms ({@link #parse}):
 * <ul>
 *   <li>{@code hotspot[:A]}: a disc of value A (default 1) and radius min(nx, ny)/8 nodes at the centre, 0 elsewhere</li>
 *   <li>{@code gaussian[:A]}: A * exp(-r^2 / 2 sigma^2) around the centre, sigma = a tenth of the shorter side</li>
 *   <li>{@code sine:P,Q}: sin(pi P x / Lx) * sin(pi Q y / Ly), Lx = (nx-1)*dx: mode (P, Q) of the zero-Dirichlet problem</li>
 *   <li>{@code random:SEED}: uniform in [0, 1), reproducible from the seed</li>
 *   <li>{@code file:PATH}: a {@code .csv} or {@code .npy} grid of shape (ny, nx), row y = 0 first; without
 *       {@code --size} the file's shape sets the grid size</li>
 * </ul>
 */
public sealed interface InitialCondition {
    ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Writes the initial values of the first field. */
    void fill(MemorySegment field, GridGeometry grid) throws IOException;

    /** The grid size this condition dictates (a file's shape), if any. */
    default Optional<GridSize> shape() throws IOException {
        return Optional.empty();
    }

    record Hotspot(double amplitude) implements InitialCondition {
        @Override
        public void fill(MemorySegment field, GridGeometry grid) {
            int radius = Math.max(1, Math.min(grid.nx(), grid.ny()) / 8);
            double cx = (grid.nx() - 1) / 2.0;
            double cy = (grid.ny() - 1) / 2.0;
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    field.setAtIndex(CELL, (long) y * grid.nx() + x, r2 <= (double) radius * radius ? amplitude : 0.0);
                }
            }
        }

        @Override
        public String toString() {
            return "hotspot:" + amplitude;
        }
    }

    record Gaussian(double amplitude) implements InitialCondition {
        @Override
        public void fill(MemorySegment field, GridGeometry grid) {
            double lx = (grid.nx() - 1) * grid.dx();
            double ly = (grid.ny() - 1) * grid.dy();
            double sigma = Math.min(lx, ly) / 10;
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    double px = x * grid.dx() - lx / 2;
                    double py = y * grid.dy() - ly / 2;
                    double v = amplitude * Math.exp(-(px * px + py * py) / (2 * sigma * sigma));
                    field.setAtIndex(CELL, (long) y * grid.nx() + x, Subnormals.flush(v));
                }
            }
        }

        @Override
        public String toString() {
            return "gaussian:" + amplitude;
        }
    }

    record SineMode(int p, int q) implements InitialCondition {
        public SineMode {
            if (p < 1 || q < 1) {
                throw new IllegalArgumentException("sine mode (" + p + ", " + q + "): P and Q must be >= 1");
            }
        }

        @Override
        public void fill(MemorySegment field, GridGeometry grid) {
            for (int y = 0; y < grid.ny(); y++) {
                double sy = Math.sin(Math.PI * q * y / (grid.ny() - 1));
                for (int x = 0; x < grid.nx(); x++) {
                    double sx = Math.sin(Math.PI * p * x / (grid.nx() - 1));
                    field.setAtIndex(CELL, (long) y * grid.nx() + x, Subnormals.flush(sx * sy));
                }
            }
        }

        @Override
        public String toString() {
            return "sine:" + p + "," + q;
        }
    }

    record Random(long seed) implements InitialCondition {
        @Override
        public void fill(MemorySegment field, GridGeometry grid) {
            var random = new SplittableRandom(seed);
            for (long i = 0; i < grid.cells(); i++) {
                field.setAtIndex(CELL, i, random.nextDouble());
            }
        }

        @Override
        public String toString() {
            return "random:" + seed;
        }
    }

    record FromFile(Path path) implements InitialCondition {
        @Override
        public void fill(MemorySegment field, GridGeometry grid) throws IOException {
            GridData data = load();
            if (data.nx() != grid.nx() || data.ny() != grid.ny()) {
                throw new IllegalArgumentException(path + " holds a " + data.nx() + "x" + data.ny()
                        + " grid (nx x ny; shape (" + data.ny() + ", " + data.nx() + ")) but the grid is "
                        + grid.nx() + "x" + grid.ny());
            }
            MemorySegment.copy(data.values(), 0, field, CELL, 0, data.values().length);
        }

        @Override
        public Optional<GridSize> shape() throws IOException {
            GridData data = load();
            return Optional.of(new GridSize(data.nx(), data.ny()));
        }

        private GridData load() throws IOException {
            String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!java.nio.file.Files.isRegularFile(path)) {
                throw new IllegalArgumentException("initial condition file " + path + " does not exist");
            }
            if (name.endsWith(".npy")) {
                return NpyGridReader.read(path);
            }
            if (name.endsWith(".csv") || name.endsWith(".txt")) {
                return CsvGridReader.read(path);
            }
            throw new IllegalArgumentException("initial condition file " + path + " must end in .csv or .npy");
        }

        @Override
        public String toString() {
            return "file:" + path;
        }
    }

    /** Parses the text forms listed in the interface comment. */
    static InitialCondition parse(String text) {
        String t = text.strip();
        String kind = t.contains(":") ? t.substring(0, t.indexOf(':')).toLowerCase(Locale.ROOT) : t.toLowerCase(Locale.ROOT);
        String arg = t.contains(":") ? t.substring(t.indexOf(':') + 1).strip() : null;
        String forms = "; allowed hotspot[:A], gaussian[:A], sine:P,Q, random:SEED, file:PATH.csv|.npy";
        try {
            return switch (kind) {
                case "hotspot" -> new Hotspot(arg == null ? 1 : finite(Double.parseDouble(arg)));
                case "gaussian" -> new Gaussian(arg == null ? 1 : finite(Double.parseDouble(arg)));
                case "sine" -> {
                    String[] pq = arg == null ? new String[0] : arg.split(",");
                    if (pq.length != 2) {
                        throw new IllegalArgumentException("initial condition '" + text + "': sine needs P,Q (e.g. sine:1,2)");
                    }
                    yield new SineMode(Integer.parseInt(pq[0].strip()), Integer.parseInt(pq[1].strip()));
                }
                case "random" -> new Random(arg == null ? 1 : Long.parseLong(arg));
                case "file" -> {
                    if (arg == null || arg.isEmpty()) {
                        throw new IllegalArgumentException("initial condition '" + text + "': file needs a path (file:PATH)");
                    }
                    yield new FromFile(Path.of(arg));
                }
                default -> throw new IllegalArgumentException("initial condition '" + text + "' is unknown" + forms);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("initial condition '" + text + "' has a value that is not a number" + forms);
        }
    }

    private static double finite(double v) {
        if (!Double.isFinite(v)) {
            throw new NumberFormatException();
        }
        return v;
    }
}
