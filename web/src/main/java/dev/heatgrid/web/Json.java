package dev.heatgrid.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.FieldStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's JSON: Jackson for the writing and parsing, and the one place non-finite numbers
 * (which JSON cannot hold) become null, as in {@code inspect --json}.
 */
final class Json {
    private Json() {
    }

    static byte[] bytes(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(finite(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static String text(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(finite(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** One field's statistics, as the page and {@code inspect --json} name them. */
    static Map<String, Object> stats(String field, FieldStats s) {
        var map = new LinkedHashMap<String, Object>();
        map.put("field", field);
        map.put("min", s.min());
        map.put("mean", s.mean());
        map.put("max", s.max());
        map.put("total", s.total());
        return map;
    }

    /** NaN and infinities as null, in maps and lists at any depth. */
    private static Object finite(Object value) {
        return switch (value) {
            case Double d -> Double.isFinite(d) ? d : null;
            case Float f -> Float.isFinite(f) ? f : null;
            case Map<?, ?> map -> {
                var copy = new LinkedHashMap<Object, Object>();
                map.forEach((k, v) -> copy.put(k, finite(v)));
                yield copy;
            }
            case java.util.List<?> list -> list.stream().map(Json::finite).toList();
            case null, default -> value;
        };
    }
}
