package dev.heatgrid.solver.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a kernel's declared parameters, every one present and in range. Immutable: a
 * steering command that changes a value produces a new instance and a new {@link Stepper}.
 */
public final class Parameters {
    private final Map<String, ParameterSpec> specs;
    private final Map<String, Double> values;

    private Parameters(Map<String, ParameterSpec> specs, Map<String, Double> values) {
        this.specs = specs;
        this.values = values;
    }

    /** Every parameter at its default. */
    public static Parameters defaults(List<ParameterSpec> declared) {
        var specs = new LinkedHashMap<String, ParameterSpec>();
        var values = new LinkedHashMap<String, Double>();
        for (ParameterSpec p : declared) {
            if (specs.put(p.name(), p) != null) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' is declared twice");
            }
            values.put(p.name(), p.defaultValue());
        }
        return new Parameters(Collections.unmodifiableMap(specs), Collections.unmodifiableMap(values));
    }

    /** A copy with one value changed, after checking it against the declaration. */
    public Parameters with(String name, double value) {
        ParameterSpec spec = spec(name);
        var copy = new LinkedHashMap<>(values);
        copy.put(name, spec.check(value));
        return new Parameters(specs, Collections.unmodifiableMap(copy));
    }

    /** A copy with one value changed from user text ({@code --param name=text}). */
    public Parameters withText(String name, String text) {
        return with(name, spec(name).parse(text));
    }

    /** The declaration of {@code name}; the message lists the declared names when there is none. */
    public ParameterSpec spec(String name) {
        ParameterSpec spec = specs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown parameter '" + name + "'; "
                    + (specs.isEmpty() ? "this kernel has no parameters" : "declared: " + String.join(", ", specs.keySet())));
        }
        return spec;
    }

    public boolean has(String name) {
        return specs.containsKey(name);
    }

    public double real(String name) {
        spec(name);
        return values.get(name);
    }

    public long integer(String name) {
        return (long) real(name);
    }

    public boolean bool(String name) {
        return real(name) != 0;
    }

    /** Name to value, in declaration order. */
    public Map<String, Double> values() {
        return values;
    }

    /** Name to text form, in declaration order (what frame headers record). */
    public Map<String, String> texts() {
        var texts = new LinkedHashMap<String, String>();
        values.forEach((name, value) -> texts.put(name, specs.get(name).format(value)));
        return texts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && p.values.equals(values) && p.specs.keySet().equals(specs.keySet());
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return texts().toString();
    }
}
