#!/usr/bin/env bash
# Simulator speed of whole runs: simulated allocator operations per host
# second, median of BENCH_REPS runs, timed (the default mode) and
# --functional (no hardware model) for comparison. Each rate is given per
# wall-clock second and per processor second of the run (run-info.json's
# operations_per_host_second and operations_per_host_cpu_second, boot
# included); on a busy shared host the processor figure is the steadier one.
# Cases: pcp-dominated (8 CPUs, 1 GiB live set), the same with 1 ms lifetimes
# (a live set that fits the host's caches), 64 CPUs on two sockets, and the
# zone lock contended (pcp off), with either live set. Needs a built
# buddysim (bench/run.sh builds first). About two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
bin=${BUDDYSIM_BUILD_DIR:-build}/buddysim
reps=${BENCH_REPS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

phase='workload.phases[0]'
short="--set $phase.classes[0].lifetime.mean=1ms --set $phase.classes[1].lifetime.mean=1ms --set $phase.target_live=8MiB"
cases=(
  "pcp-dominated|scenarios/pcp-on-vs-off.json --set $phase.duration=600ms"
  "pcp-hot|scenarios/pcp-on-vs-off.json --set $phase.duration=600ms $short"
  "64-cpus|scenarios/many-cpu-contention.json --set $phase.duration=300ms"
  "zone-lock|scenarios/pcp-on-vs-off.json --set $phase.duration=600ms --set allocator.pcp=false"
  "zone-lock-hot|scenarios/pcp-on-vs-off.json --set $phase.duration=600ms --set allocator.pcp=false $short"
)

# Median of the numbers on stdin (the lower middle one for an even count).
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# A number from the last run's run-info.json.
info() { sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p" "$out/run/run-info.json"; }

# Runs one case reps times in one mode; prints the median wall and
# processor rates and the operation count.
measure() {
  local args=$1 mode=$2 wall=() cpu=() ops=0
  for ((i = 0; i < reps; i++)); do
    # shellcheck disable=SC2086  # args holds several words on purpose
    "$bin" run $args $mode -q -o "$out/run"
    wall+=("$(info operations_per_host_second)")
    cpu+=("$(info operations_per_host_cpu_second)")
    ops=$(grep -m1 '"total":' "$out/run/summary.json" | tr -dc 0-9)
    rm -rf "$out/run"
  done
  echo "$(printf '%s\n' "${wall[@]}" | median) $(printf '%s\n' "${cpu[@]}" | median) $ops"
}

printf '%-14s %10s %14s %14s %14s %14s\n' case operations 'timed/wall-s' 'timed/cpu-s' 'functional/wall-s' \
  'functional/cpu-s'
for c in "${cases[@]}"; do
  name=${c%%|*}
  args=${c#*|}
  read -r timed_wall timed_cpu ops < <(measure "$args" "")
  read -r func_wall func_cpu _ < <(measure "$args" --functional)
  printf '%-14s %10s %14s %14s %14s %14s\n' "$name" "$ops" "$timed_wall" "$timed_cpu" "$func_wall" "$func_cpu"
done
