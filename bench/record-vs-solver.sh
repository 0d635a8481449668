#!/usr/bin/env bash
# The solver's throughput while it is recorded (docs/BENCHMARKS.md, "Recording"): ftcs on one thread,
# publishing every step, alone / with `record` (newest frames, never gating) / with
# `record --every-frame` (the solver waits for the recorder), interleaved ROUNDS times; prints each
# run and the medians. Usage: bench/record-vs-solver.sh OUTDIR [ROUNDS] [SIZE:STEPS ...]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:?usage: $0 OUTDIR [ROUNDS] [SIZE:STEPS ...]}"
ROUNDS="${2:-3}"
shift $(( $# >= 2 ? 2 : 1 ))
CASES=(256:4000 1024:300)
[[ $# -gt 0 ]] && CASES=("$@")
mkdir -p "$OUT"
H=./heatgrid
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${CASES[@]}"; do
    size="${c%%:*}"; steps="${c##*:}"
    declare -A rates=()
    for round in $(seq "$ROUNDS"); do
        for mode in alone newest every-frame; do
            seg="recbench-$$-$size-$mode-$round"
            file="$OUT/$seg.h5"
            pid=""
            if [[ "$mode" != alone ]]; then
                extra=(); [[ "$mode" == every-frame ]] && extra=(--every-frame)
                "$H" record "$seg" --out "$file" --quiet "${extra[@]}" > "$OUT/$seg.record" 2>&1 &
                pid=$!
                sleep 1 # the recorder is waiting for the segment before the solver starts
            fi
            line="$("$H" run "$seg" --size "${size}x${size}" --steps "$steps" --threads 1 --publish-every 1 --quiet | tail -n 1)"
            [[ -n "$pid" ]] && wait "$pid"
            seconds="$(sed -n 's/.*, \([0-9.]*\) s, .*/\1/p' <<< "$line")"
            rate="$(awk -v s="$steps" -v t="$seconds" 'BEGIN { printf "%.1f", s / t }')"
            recorded="$( [[ -n "$pid" ]] && sed -n 's/^wrote .*: \([0-9]*\) frame.*/\1/p' "$OUT/$seg.record" || echo -)"
            echo "$size^2 $mode round $round: $rate steps/s ($seconds s), recorded $recorded"
            rates[$mode]+="$rate "
            rm -f "$file" "${file%.h5}.xdmf" "$OUT/$seg.record"
        done
    done
    for mode in alone newest every-frame; do
        median="$(tr ' ' '\n' <<< "${rates[$mode]}" | grep . | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
        echo "RESULT $size^2 $mode median $median steps/s"
    done
    unset rates
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
