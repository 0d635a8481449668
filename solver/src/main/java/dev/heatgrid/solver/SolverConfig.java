package dev.heatgrid.solver;

import dev.heatgrid.segment.SegmentDescriptor;
import dev.heatgrid.segment.CreateOptions;
import dev.heatgrid.solver.engine.StepEngine;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.Parameters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How to set up or continue a run: one method per command-line flag. Every option is optional;
 * {@link Solver#create} fills in defaults, while {@link Solver#resume} takes the grid, kernel,
 * boundary and parameters from the segment and refuses options given again that disagree with it.
 * Values are checked as they are set (kernel parameters once {@link Builder#build} knows the
 * kernel), each failure an {@link IllegalArgumentException} whose message names the bad value and
 * what is allowed.
 *
 * <pre>{@code
 * SolverConfig config = SolverConfig.builder()
 *         .size(GridSize.parse("512x512"))
 *         .kernel("ftcs")
 *         .param("alpha=0.5")
 *         .boundary(Boundary.parse("north=dirichlet:100,south=neumann,west=neumann,east=neumann"))
 *         .initial(InitialCondition.parse("gaussian"))
 *         .build();
 * }</pre>
 */
public final class SolverConfig {
    /**
     * Frame buffers of a new segment unless configured: a reader then has two solver steps, not one,
     * to copy a frame before the writer reuses its buffer, so a reader slowed by a loaded machine is
     * not overtaken (with two, the README's demo lost frames under load; with three it never did).
     */
    public static final int DEFAULT_BUFFERS = 3;

    /** Defaults of {@link Solver#create}. */
    public static final GridSize DEFAULT_SIZE = new GridSize(512, 512);
    public static final String DEFAULT_KERNEL = "ftcs";
    public static final int MAX_PUBLISH_EVERY = 1_000_000_000;

    private final KernelCatalog catalog;
    private final GridSize size;
    private final double[] spacing;
    private final String kernel;
    private final Map<String, String> params;
    private final TimeStep dt;
    private final Boundary boundary;
    private final InitialCondition initial;
    private final Heater heater;
    private final Integer threads;
    private final Integer buffers;
    private final Integer publishEvery;
    private final Boolean keep;
    private final String group;
    private final boolean allowOtherOwner;

    private SolverConfig(Builder b) {
        this.catalog = b.catalog != null ? b.catalog : KernelCatalog.installed();
        this.size = b.size;
        this.spacing = b.spacing;
        this.kernel = b.kernel;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(b.params));
        this.dt = b.dt;
        this.boundary = b.boundary;
        this.initial = b.initial;
        this.heater = b.heater;
        this.threads = b.threads;
        this.buffers = b.buffers;
        this.publishEvery = b.publishEvery;
        this.keep = b.keep;
        this.group = b.group;
        this.allowOtherOwner = b.allowOtherOwner;
    }

    public static Builder builder() {
        return new Builder();
    }

    public KernelCatalog catalog() {
        return catalog;
    }

    public Optional<GridSize> size() {
        return Optional.ofNullable(size);
    }

    /** dx, dy if given. */
    public Optional<double[]> spacing() {
        return Optional.ofNullable(spacing).map(double[]::clone);
    }

    public Optional<String> kernel() {
        return Optional.ofNullable(kernel);
    }

    /** Kernel parameters as given ({@code --param}, {@code --alpha}), in order. */
    public Map<String, String> params() {
        return params;
    }

    public Optional<TimeStep> dt() {
        return Optional.ofNullable(dt);
    }

    public Optional<Boundary> boundary() {
        return Optional.ofNullable(boundary);
    }

    public Optional<InitialCondition> initial() {
        return Optional.ofNullable(initial);
    }

    public Optional<Heater> heater() {
        return Optional.ofNullable(heater);
    }

    public Optional<Integer> buffers() {
        return Optional.ofNullable(buffers);
    }

    public Optional<Boolean> keep() {
        return Optional.ofNullable(keep);
    }

    /** How a new segment file is created: mode 0600, or 0640 for {@code group}. */
    public CreateOptions createOptions() {
        return new CreateOptions(false, group);
    }

    /** Whether {@link Solver#resume} may continue a segment that belongs to another user. */
    public boolean allowOtherOwner() {
        return allowOtherOwner;
    }

    /** Worker threads, if given; otherwise the solver chooses by grid size ({@link StepEngine#threadsFor}). */
    public Optional<Integer> threads() {
        return Optional.ofNullable(threads);
    }

    /** Publish every k-th step; default 1. */
    public int publishEvery() {
        return publishEvery != null ? publishEvery : 1;
    }

    /** The kernel this config names (or the default), from the catalog. */
    Kernel resolveKernel() {
        return catalog.find(kernel != null ? kernel : DEFAULT_KERNEL);
    }

    /**
     * The parameters a run of kernel {@code k} is given: its defaults with the given ones applied
     * (checked). What two tiles compare: equal values however they were typed, and a default counts.
     */
    public Parameters kernelParameters(Kernel k) {
        return applyParams(Parameters.defaults(k.parameters()), k);
    }

    /** Applies the given kernel parameters to {@code base}. */
    Parameters applyParams(Parameters base, Kernel k) {
        Parameters p = base;
        for (var e : params.entrySet()) {
            if (!p.has(e.getKey())) {
                throw new IllegalArgumentException("kernel " + k.name() + " has no parameter '" + e.getKey() + "'; "
                        + (k.parameters().isEmpty() ? "it takes none" : "its parameters are "
                        + String.join(", ", k.parameters().stream().map(s -> s.name()).toList()))
                        + " (and every kernel takes dt and heater)");
            }
            p = p.withText(e.getKey(), e.getValue());
        }
        return p;
    }

    public static final class Builder {
        private KernelCatalog catalog;
        private GridSize size;
        private double[] spacing;
        private String kernel;
        private final Map<String, String> params = new LinkedHashMap<>();
        private TimeStep dt;
        private Boundary boundary;
        private InitialCondition initial;
        private Heater heater;
        private Integer threads;
        private Integer buffers;
        private Integer publishEvery;
        private Boolean keep;
        private String group;
        private boolean allowOtherOwner;

        private Builder() {
        }

        /** Where kernels come from; default {@link KernelCatalog#installed()}. */
        public Builder catalog(KernelCatalog c) {
            this.catalog = c;
            return this;
        }

        /** {@code --size}. */
        public Builder size(GridSize s) {
            this.size = s;
            return this;
        }

        /** Physical node spacing; default 1 x 1. */
        public Builder spacing(double dx, double dy) {
            if (!(dx > 0) || !(dy > 0) || Double.isInfinite(dx) || Double.isInfinite(dy)) {
                throw new IllegalArgumentException("spacing is " + dx + " x " + dy + "; both must be finite and > 0");
            }
            this.spacing = new double[]{dx, dy};
            return this;
        }

        /** {@code --kernel}. */
        public Builder kernel(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("kernel name is empty");
            }
            this.kernel = name.strip();
            return this;
        }

        /** {@code --param KEY=VALUE}; {@code dt} and {@code heater} are understood too. */
        public Builder param(String keyEqualsValue) {
            int eq = keyEqualsValue.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("parameter '" + keyEqualsValue + "' is not KEY=VALUE (e.g. alpha=0.5)");
            }
            return param(keyEqualsValue.substring(0, eq).strip(), keyEqualsValue.substring(eq + 1).strip());
        }

        /** One parameter: a kernel parameter (checked by {@link #build}), {@code dt} or {@code heater}. */
        public Builder param(String key, String value) {
            switch (key) {
                case Problem.DT -> dt(TimeStep.parse(value));
                case Heater.KEY -> heater(Heater.parse(value));
                default -> params.put(key, value);
            }
            return this;
        }

        /** {@code --dt auto|X}. */
        public Builder dt(TimeStep t) {
            this.dt = t;
            return this;
        }

        /** {@code --boundary}. */
        public Builder boundary(Boundary b) {
            this.boundary = b;
            return this;
        }

        /** {@code --init}. */
        public Builder initial(InitialCondition c) {
            this.initial = c;
            return this;
        }

        /** {@code --param heater=X0,Y0,X1,Y1,TEMP}. */
        public Builder heater(Heater h) {
            this.heater = h;
            return this;
        }

        /** {@code --threads N}: 1..256; default chosen by grid size and available processors. */
        public Builder threads(int n) {
            if (n < 1 || n > StepEngine.MAX_THREADS) {
                throw new IllegalArgumentException("threads is " + n + "; allowed 1.." + StepEngine.MAX_THREADS);
            }
            this.threads = n;
            return this;
        }

        /** {@code --buffers N}: frame buffers in the segment, 2..16; default {@link #DEFAULT_BUFFERS}. */
        public Builder buffers(int n) {
            if (n < SegmentDescriptor.MIN_BUFFERS || n > SegmentDescriptor.MAX_BUFFERS) {
                throw new IllegalArgumentException("buffers is " + n + "; allowed " + SegmentDescriptor.MIN_BUFFERS + ".."
                        + SegmentDescriptor.MAX_BUFFERS);
            }
            this.buffers = n;
            return this;
        }

        /** {@code --publish-every K}: 1..10^9; default 1. */
        public Builder publishEvery(int k) {
            if (k < 1 || k > MAX_PUBLISH_EVERY) {
                throw new IllegalArgumentException("publish-every is " + k + "; allowed 1.." + MAX_PUBLISH_EVERY);
            }
            this.publishEvery = k;
            return this;
        }

        /** {@code --keep}: the segment file outlives the run (needed for a later resume). */
        public Builder keep(boolean k) {
            this.keep = k;
            return this;
        }

        /** {@code --group G}: the new segment is readable by group G (mode 0640) instead of owner only. */
        public Builder group(String g) {
            if (g == null || g.isBlank()) {
                throw new IllegalArgumentException("group name is empty");
            }
            this.group = g.strip();
            return this;
        }

        /** {@code --allow-other-owner}: resume a segment that belongs to another user. */
        public Builder allowOtherOwner(boolean allow) {
            this.allowOtherOwner = allow;
            return this;
        }

        /**
         * Checks what can be checked without a segment: the kernel exists and the given parameters
         * are declared by it and in range.
         */
        public SolverConfig build() {
            SolverConfig config = new SolverConfig(this);
            if (kernel != null || !params.isEmpty()) {
                Kernel k = config.resolveKernel();
                config.applyParams(Parameters.defaults(k.parameters()), k);
            }
            return config;
        }
    }
}
