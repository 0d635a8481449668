#!/usr/bin/env bash
# Tiled runs measured (docs/BENCHMARKS.md, "Tiles"): the halo transport alone (HaloRoundTrip: two
# JVMs exchanging one message per round over Aeron IPC and over UDP on loopback, REPEATS runs each),
# then 4096^2 as 2 tile JVMs (IPC and UDP) against one JVM with 2 threads (TiledStepBench, ROUNDS
# interleaved rounds of STEPS steps). Build first: mvn -B -q package -DskipTests
# Usage: bench/tiles-bench.sh [REPEATS] [ROUNDS] [STEPS] [SIZE] [LAYOUT]
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS="${1:-3}"
ROUNDS="${2:-3}"
STEPS="${3:-80}"
SIZE="${4:-4096x4096}"
LAYOUT="${5:-2x1}"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
RUN=("$JAVA" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector
     --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp bench/target/benchmarks.jar)
echo "$(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# message bytes: an empty round (header only), a 64-node side, a 1024-node side, a 4096-node side
for r in $(seq "$REPEATS"); do
    for transport in ipc udp; do
        "${RUN[@]}" dev.heatgrid.tiles.HaloRoundTrip "$transport" 3000 64 576 8256 32832 2>&1 | grep -v '^WARNING'
    done
done
"${RUN[@]}" dev.heatgrid.bench.tiles.TiledStepBench "$SIZE" "$LAYOUT" "$STEPS" "$ROUNDS" udp 2>&1 | grep -v '^WARNING'
