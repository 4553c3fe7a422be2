#!/usr/bin/env bash
# Simulator speed of whole runs: simulated allocator operations per host
# second (run-info.json's operations_per_host_second, which includes the
# machine's boot), median of BENCH_REPS runs, timed (the default mode) and
# --functional (no hardware model) for comparison. Three cases: pcp-dominated
# (8 CPUs), 64 CPUs on two sockets, and the zone lock contended (pcp off).
# Needs a built buddysim (bench/run.sh builds first). About a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
bin=${BUDDYSIM_BUILD_DIR:-build}/buddysim
reps=${BENCH_REPS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

duration='workload.phases[0].duration'
cases=(
  "pcp-dominated|scenarios/pcp-on-vs-off.json --set $duration=300ms"
  "64-cpus|scenarios/many-cpu-contention.json --set $duration=300ms"
  "zone-lock|scenarios/pcp-on-vs-off.json --set $duration=300ms --set allocator.pcp=false"
)

# Median of the numbers on stdin (the lower middle one for an even count).
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# Runs one case reps times in one mode; prints the median rate and the operation count.
measure() {
  local args=$1 mode=$2 rates=() ops=0
  for ((i = 0; i < reps; i++)); do
    # shellcheck disable=SC2086  # args holds several words on purpose
    "$bin" run $args $mode -q -o "$out/run"
    rates+=("$(sed -n 's/.*"operations_per_host_second": \([0-9]*\).*/\1/p' "$out/run/run-info.json")")
    ops=$(grep -m1 '"total":' "$out/run/summary.json" | tr -dc 0-9)
    rm -rf "$out/run"
  done
  echo "$(printf '%s\n' "${rates[@]}" | median) $ops"
}

printf '%-14s %10s %16s %16s %8s\n' case operations 'timed ops/s' 'functional ops/s' ratio
for c in "${cases[@]}"; do
  name=${c%%|*}
  args=${c#*|}
  read -r timed ops < <(measure "$args" "")
  read -r functional _ < <(measure "$args" --functional)
  printf '%-14s %10s %16s %16s %8s\n' "$name" "$ops" "$timed" "$functional" \
    "$(awk -v t="$timed" -v f="$functional" 'BEGIN {printf "%.2f", f / t}')"
done
