#!/usr/bin/env bash
# Trains the profile-guided optimisation of a build folder (default build/):
# builds an instrumented buddysim in BUILD/pgo-train, runs the training set
# and keeps the profiles in BUILD/pgo/N (N one more than the last training),
# whose path it writes to BUILD/pgo/current. scripts/setup.sh trains once per
# build folder and builds with the profiles. A function changed since the
# training is built without its profile, and GCC warns "Missing counts for
# called function" about it; run this again after changes to the simulator's
# hot paths (and before measuring its speed), then scripts/setup.sh, which
# rebuilds everything by the new profiles (the folder's name is in the
# compile flags).
#
# The training set is what users run: every shipped scenario in full (timed),
# the default functionally, the pcp study with pcp off and with a live set
# that fits the host's caches, and `buddysim dram` on a random trace. It
# takes about a minute on 2 cores, after the instrumented build (two).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-${BUDDYSIM_BUILD_DIR:-build}}
mkdir -p "$build_dir/pgo"
build_dir=$(cd "$build_dir" && pwd)
train_dir=$build_dir/pgo-train
last=$(sed -n 's|.*/pgo/\([0-9]*\)$|\1|p' "$build_dir/pgo/current" 2>/dev/null || true)
profile_dir=$build_dir/pgo/$((${last:-0} + 1))
rm -rf "$profile_dir"

cmake -S . -B "$train_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUDDYSIM_TESTS=OFF -DBUDDYSIM_BENCH=OFF \
  -DBUDDYSIM_PROFILE_GENERATE="$profile_dir" >/dev/null
ninja -C "$train_dir" --quiet -j "${BUDDYSIM_JOBS:-$(nproc)}" buddysim | { grep -v '^ninja: no work to do.$' || true; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
bin=$train_dir/buddysim
train() { "$bin" "$@" -q -o "$out/run" >/dev/null; rm -rf "$out/run"; }

for scenario in scenarios/*.json; do train run "$scenario"; done
train run scenarios/default.json --functional
phase='workload.phases[0]'
train run scenarios/pcp-on-vs-off.json --set "$phase.duration=500ms" --set allocator.pcp=false
train run scenarios/pcp-on-vs-off.json --set "$phase.duration=500ms" --set "$phase.classes[0].lifetime.mean=1ms" \
  --set "$phase.classes[1].lifetime.mean=1ms" --set "$phase.target_live=8MiB"
# 200,000 reads and writes at random addresses below 16 GiB, 20 memory clocks
# apart (a moderately loaded memory). mawk's %x stops at 32 bits: two halves.
awk 'BEGIN { x = 12345; for (i = 0; i < 200000; i++) {
  x = x * 16807 % 2147483647; a = x * 64 % 17179869184; hi = int(a / 4294967296)
  printf "0x%x%08x %s %d\n", hi, a - hi * 4294967296, (i % 3 ? "READ" : "WRITE"), 20 * i } }' >"$out/random.trace"
"$bin" dram "$out/random.trace" -o "$out/dram.json" >/dev/null

echo "$profile_dir" >"$build_dir/pgo/current"
# Earlier trainings are no longer used.
find "$build_dir/pgo" -mindepth 1 -maxdepth 1 -type d ! -path "$profile_dir" -exec rm -rf {} +
