package dev.heatgrid.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers, booleans and nulls as JSON. Non-finite numbers (which JSON
 * cannot hold) become null. Enough for the CLI's machine-readable output, without a dependency.
 */
final class JsonText {
    private JsonText() {
    }

    static String of(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, int indent) {
        switch (value) {
            case null -> out.append("null");
            case Map<?, ?> map -> writeObject(out, map, indent);
            case List<?> list -> writeArray(out, list, indent);
            case Boolean b -> out.append(b);
            case Double d -> out.append(Double.isFinite(d) ? d.toString() : "null");
            case Float f -> out.append(Float.isFinite(f) ? f.toString() : "null");
            case Number n -> out.append(n);
            default -> writeString(out, value.toString());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, int indent) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{\n");
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> entry = entries.next();
            out.append("  ".repeat(indent + 1));
            writeString(out, entry.getKey().toString());
            out.append(": ");
            write(out, entry.getValue(), indent + 1);
            out.append(entries.hasNext() ? ",\n" : "\n");
        }
        out.append("  ".repeat(indent)).append('}');
    }

    private static void writeArray(StringBuilder out, List<?> list, int indent) {
        boolean simple = list.stream().noneMatch(v -> v instanceof Map || v instanceof List);
        if (simple) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                write(out, list.get(i), indent);
                out.append(i + 1 < list.size() ? ", " : "");
            }
            out.append(']');
            return;
        }
        out.append("[\n");
        for (int i = 0; i < list.size(); i++) {
            out.append("  ".repeat(indent + 1));
            write(out, list.get(i), indent + 1);
            out.append(i + 1 < list.size() ? ",\n" : "\n");
        }
        out.append("  ".repeat(indent)).append(']');
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
