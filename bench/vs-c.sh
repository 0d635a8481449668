#!/usr/bin/env bash
# "heatgrid vs C, same run" (docs/BENCHMARKS.md): ../shared/reference/compare.sh ROUNDS times, each
# round for the default options (128² 512² 2048² 4096², 1 and 2 threads) and then for
# --publish-every 8 (128², 4096²), with the load average and CPU steal of every round; then the
# median ratio of each line. With BEFORE=DIR, each round also runs compare.sh in DIR (another build
# of heatgrid, e.g. `git archive main | tar -x -C DIR` and `./heatgrid --help` there once), right after
# this tree's, so before and after see the same moments of load.
#   usage: bench/vs-c.sh OUTDIR [ROUNDS]       (from the project root; ROUNDS default 3)
#   compare.sh is $COMPARE, else ../shared/reference/compare.sh, else /work/shared/reference/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:?usage: $0 OUTDIR [ROUNDS]}"
ROUNDS="${2:-3}"
if [[ -z "${COMPARE:-}" ]]; then
    COMPARE="$(cd .. && pwd)/shared/reference/compare.sh"
    [[ -x "$COMPARE" ]] || COMPARE=/work/shared/reference/compare.sh
fi
[[ -x "$COMPARE" ]] || { echo "no compare.sh at $COMPARE (set COMPARE=...)" >&2; exit 1; }
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
./heatgrid --version > /dev/null # builds the jar first if needed, outside the timed runs

# cpu jiffies "total steal" from /proc/stat
jiffies() { awk '/^cpu /{t=0; for (i=2;i<=NF;i++) t+=$i; print t, $9}' /proc/stat; }

one() { # LABEL DIR OPTS SIZES...
    local label="$1" dir="$2" opts="$3"; shift 3
    local l0 j0 j1 t0 s0 t1 s1
    l0="$(cut -d' ' -f1 /proc/loadavg)"; j0="$(jiffies)"
    ( cd "$dir" && HG_OPTS="$opts" "$COMPARE" "$@" ) > "$OUT/$label.txt"
    j1="$(jiffies)"; read -r t0 s0 <<< "$j0"; read -r t1 s1 <<< "$j1"
    echo "# load $l0 -> $(cut -d' ' -f1 /proc/loadavg), steal $(echo "scale=1; 100*($s1-$s0)/($t1-$t0)" | bc)%" >> "$OUT/$label.txt"
    sed "s/^/$label /" "$OUT/$label.txt"
}

for r in $(seq "$ROUNDS"); do
    one "after-default-$r" . "" 128 512 2048 4096
    if [[ -n "${BEFORE:-}" ]]; then one "before-default-$r" "$BEFORE" "" 128 512 2048 4096; fi
    one "after-pe8-$r" . "--publish-every 8" 128 4096
    # an if, not `[[ ]] &&`: without BEFORE the loop's status would be 1 and set -e -o pipefail ends
    # the script before the medians (seen on the 2026-12-06 quiet run)
    if [[ -n "${BEFORE:-}" ]]; then one "before-pe8-$r" "$BEFORE" "--publish-every 8" 128 4096; fi
done | tee "$OUT/all.txt"

echo
echo "medians over $ROUNDS rounds (C MLUPS, heatgrid MLUPS, ratio):"
# lines: LABEL N threads C heatgrid ratio ; label = which-options-round
awk '$2 ~ /^[0-9]+$/ && NF == 6 { split($1, p, "-"); key = p[1] "-" p[2] " " $2 " " $3;
       c[key] = c[key] " " $4; h[key] = h[key] " " $5; q[key] = q[key] " " $6 }
     function med(s,  a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
       if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }; return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
     END { for (k in c) printf "%-18s %8.0f %8.0f %6.2f\n", k, med(c[k]), med(h[k]), med(q[k]) }' "$OUT/all.txt" | sort -k1,1 -k2n -k3n \
  | tee "$OUT/medians.txt"
