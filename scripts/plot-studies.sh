#!/usr/bin/env bash
# The figures of the two shipped studies in one command, after the README's
# set-up: the CPU-scaling sweep (many-cpu-contention, 2 to 64 CPUs, pcp on
# and off) and the pcp study (pcp-on-vs-off, list sizes), each plotted
# against its parameters, plus pcp on against pcp off compared run to run.
# Sweeps skip runs already done, so a second call only redraws.
# usage: scripts/plot-studies.sh [-j JOBS] [-o DIR]   (default DIR results/studies)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=2 out=results/studies
while (($#)); do
  case $1 in
    -j) jobs=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    *) echo "usage: scripts/plot-studies.sh [-j JOBS] [-o DIR]" >&2; exit 2 ;;
  esac
done
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
for study in cpu-scaling pcp-study; do
  scripts/sweep.py "scenarios/sweeps/$study.json" -j "$jobs" -o "$out/$study"
  scripts/plot.py "$out/$study"
done
for pcp in true false; do
  [ -f "$out/pcp-$pcp/summary.json" ] || build/buddysim run scenarios/pcp-on-vs-off.json -q -o "$out/pcp-$pcp" \
    --set allocator.pcp=$pcp --set 'workload.phases[0].duration=300ms' --set record.ops=true --set record.interval=50ms
done
scripts/compare.py "$out/pcp-true" "$out/pcp-false" --labels "pcp on,pcp off" -o "$out/pcp-compare"
echo "figures: $out/cpu-scaling/figures, $out/pcp-study/figures, $out/pcp-compare"
