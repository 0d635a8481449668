package dev.heatgrid.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * "Did you mean": the known names nearest to a mistyped one ({@code rn} -> {@code run},
 * {@code --szie} -> {@code --size}), by edit distance counting a swap of neighbours as one edit, or
 * by prefix ({@code --col} -> {@code --colormap}), or by the first three letters ({@code --colr}).
 */
final class Suggestions {
    private Suggestions() {
    }

    /** At most three names close to {@code typed}, nearest first; empty if none is close. */
    static List<String> nearest(String typed, Collection<String> known) {
        record Candidate(String name, int distance) {
        }
        var close = new ArrayList<Candidate>();
        String t = stripDashes(typed);
        int allowed = Math.max(1, t.length() / 3);
        for (String name : known) {
            String n = stripDashes(name);
            int d = distance(t, n);
            if (t.length() >= 2 && n.startsWith(t)) {
                d = Math.min(d, 1); // typed the start of it
            } else if (t.length() >= 3 && n.length() >= 3 && t.regionMatches(0, n, 0, 3)) {
                d = Math.min(d, allowed); // the same first three letters: --colr, --colormap
            }
            if (d <= allowed && d < n.length()) {
                close.add(new Candidate(name, d));
            }
        }
        close.sort(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name));
        return close.stream().limit(3).map(Candidate::name).toList();
    }

    private static String stripDashes(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '-') {
            i++;
        }
        return s.substring(i);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
