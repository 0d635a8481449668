package dev.heatgrid.web;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameHeader;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The min / mean / max / total of every field against simulated time, over the whole run: one point
 * per frame the feed read. When full it drops every other point, so a long run keeps its whole
 * shape at half the detail rather than forgetting its beginning. A browser that connects gets it
 * all, then adds the statistics each frame brings. Guarded by its own lock: the feed adds, Jetty's
 * threads copy.
 */
final class StatsHistory {
    static final int CAPACITY = 2_000;
    /** Per point: time, then min, mean, max, total of each field. */
    private static final int PER_FIELD = 4;

    private List<String> fields = List.of();
    private double[][] columns = new double[1][CAPACITY];
    private int size;
    private long lastGeneration;

    /** A new run: forget the old one. */
    synchronized void restart(List<String> fieldNames) {
        fields = List.copyOf(fieldNames);
        columns = new double[1 + PER_FIELD * fields.size()][CAPACITY];
        size = 0;
        lastGeneration = 0;
    }

    /** Adds a frame's statistics once per generation. */
    synchronized void add(FrameHeader header) {
        if (header.generation() <= lastGeneration || header.stats().size() != fields.size()) {
            return;
        }
        lastGeneration = header.generation();
        if (size == CAPACITY) {
            for (double[] column : columns) {
                for (int i = 0; i < CAPACITY / 2; i++) {
                    column[i] = column[2 * i + 1];
                }
            }
            size = CAPACITY / 2;
        }
        columns[0][size] = header.time();
        for (int f = 0; f < fields.size(); f++) {
            FieldStats s = header.stats().get(f);
            int c = 1 + PER_FIELD * f;
            columns[c][size] = s.min();
            columns[c + 1][size] = s.mean();
            columns[c + 2][size] = s.max();
            columns[c + 3][size] = s.total();
        }
        size++;
    }

    /** The page's "history" message: {@code time} and, per field, {@code min, mean, max, total} arrays. */
    synchronized Map<String, Object> message() {
        var perField = new LinkedHashMap<String, Object>();
        for (int f = 0; f < fields.size(); f++) {
            int c = 1 + PER_FIELD * f;
            var series = new LinkedHashMap<String, Object>();
            series.put("min", column(c));
            series.put("mean", column(c + 1));
            series.put("max", column(c + 2));
            series.put("total", column(c + 3));
            perField.put(fields.get(f), series);
        }
        var message = new LinkedHashMap<String, Object>();
        message.put("type", "history");
        message.put("time", column(0));
        message.put("fields", perField);
        return message;
    }

    private List<Double> column(int c) {
        return Arrays.stream(columns[c], 0, size).boxed().toList();
    }
}
