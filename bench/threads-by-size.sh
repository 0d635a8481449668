#!/bin/bash
# Run from the project root after `mvn -B -q package -DskipTests`; SIZES="96 128" ROUNDS=3 to narrow it.
# 1 vs 2 threads by grid size: whole `heatgrid run` processes (default options, hotspot), alternating, ROUNDS rounds.
# MLUPS from the run's own summary line (stepping time only, so JVM start-up is out; JIT warm-up is in,
# so steps are sized for ~4 s of stepping). Through the launcher, so the JVM has its options (compile
# commands, directives) as a user's run does.
ROUNDS=${ROUNDS:-5}
uptime
for n in ${SIZES:-192 256 384 512 1024 2048}; do
  cells=$(( (n-2)*(n-2) )); steps=$(( 4000000000 / cells ))
  for r in $(seq $ROUNDS); do for t in 1 2; do
    seg=/dev/shm/thr-$n-$t-$$.hgrid; rm -f $seg
    m=$(./heatgrid run $seg --size ${n}x${n} --init hotspot --threads $t --steps $steps --quiet 2>&1 | grep -o '[0-9.]* MLUPS' | awk '{print $1}')
    rm -f $seg; echo "$n $t $r $m"
  done; done
done
uptime
