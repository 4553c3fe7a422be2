#!/usr/bin/env bash
# Checks the Python tooling (plot.py, compare.py, sweep.py) end to end on
# small runs of the existing build: every expected PNG and SVG is written and
# non-empty, sweep.csv has the expected columns, bad input exits 2 with a
# message and no traceback. Needs build/buddysim (or $BUDDYSIM_BUILD_DIR),
# GNU parallel and python3-matplotlib (bash scripts/setup.sh installs them).
# Exit status 0 when every check passes. Takes about 20 s on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
bin=${BUDDYSIM_BUILD_DIR:-build}/buddysim
py=/usr/bin/python3
export MPLBACKEND=Agg SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

[ -x "$bin" ] || { echo "check-scripts: $bin not found: build first (bash scripts/setup.sh)" >&2; exit 1; }
[ -x "$py" ] || { echo "check-scripts: $py not found" >&2; exit 1; }
"$py" -c 'import matplotlib, numpy' 2>/dev/null ||
  { echo "check-scripts: $py has no matplotlib: apt-get install python3-matplotlib" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/buddysim-check-scripts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Every NAME must exist as NAME.png and NAME.svg in DIR, non-empty.
expect_figures() {
  local what=$1 dir=$2; shift 2
  local missing=()
  for name in "$@"; do
    for ext in png svg; do
      [ -s "$dir/$name.$ext" ] || missing+=("$name.$ext")
    done
  done
  if ((${#missing[@]})); then fail "$what: missing or empty in $dir: ${missing[*]}"; else pass "$what: $# figures"; fi
}

# expect_bad_input WHAT COMMAND...: exit 2, a message, no traceback.
expect_bad_input() {
  local what=$1; shift
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne 2 ]; then fail "$what: exit $rc, expected 2: $out"
  elif grep -q Traceback <<<"$out"; then fail "$what: traceback: $out"
  elif ! grep -q "error:" <<<"$out"; then fail "$what: no error message: $out"
  else pass "$what: $(tail -1 <<<"$out")"; fi
}

# --- small runs -----------------------------------------------------------
short=(--set 'workload.phases[0].duration=10ms' --set record.interval=2ms)
"$bin" run scenarios/pcp-on-vs-off.json -q -o "$tmp/on" "${short[@]}" --set record.ops=true &&
"$bin" run scenarios/pcp-on-vs-off.json -q -o "$tmp/off" "${short[@]}" --set allocator.pcp=false &&
"$bin" run scenarios/pcp-on-vs-off.json -q -o "$tmp/func" "${short[@]}" --functional ||
  { echo "check-scripts: buddysim run failed" >&2; exit 1; }

# --- plot.py and compare.py, in the background while the sweep checks run ---
"$py" scripts/plot.py "$tmp/on" >"$tmp/plot-on.out" 2>&1 & p1=$!
"$py" scripts/compare.py "$tmp/on" "$tmp/off" --labels on,off -o "$tmp/cmp" >"$tmp/cmp.out" 2>&1 & p2=$!
"$py" scripts/plot.py "$tmp/func" >"$tmp/plot-func.out" 2>&1 & p3=$!

check_plots() {
  wait $p1 || fail "plot.py on a timed run: exit $? ($(tail -3 "$tmp/plot-on.out"))"
  expect_figures "plot.py timed run with ops.csv" "$tmp/on/figures" \
    alloc_paths ops_by_order latency_cdf_by_path latency_hist_by_path latency_cdf_by_order \
    latency_hist_by_order latency_percentiles latency_timeline lock_times lock_wait_histogram \
    lock_contention_points dram cpus buddyinfo_heatmap fragmentation_index free_pages
  grep -qxF "$tmp/on/figures/latency_cdf_by_path.png" "$tmp/plot-on.out" ||
    fail "plot.py does not list the files it wrote"
  wait $p2 || fail "compare.py: exit $? ($(tail -3 "$tmp/cmp.out"))"
  expect_figures "compare.py" "$tmp/cmp" compare_latency_cdf compare_latency_percentiles \
    compare_zone_lock compare_free_pages compare_alloc_paths compare_dram
  for row in "alloc latency p99" "pcp_hit share of allocations" "zone-lock total wait" "DRAM row-hit rate"; do
    grep -q "^$row " "$tmp/cmp.out" || fail "compare.py table has no row \"$row\""
  done
  [ -s "$tmp/cmp/compare.csv" ] && [ -s "$tmp/cmp/compare.txt" ] || fail "compare.py wrote no compare.csv/compare.txt"
  wait $p3 || fail "plot.py on a functional run: exit $? ($(tail -3 "$tmp/plot-func.out"))"
  expect_figures "plot.py functional run" "$tmp/func/figures" alloc_paths ops_by_order buddyinfo_heatmap \
    fragmentation_index free_pages
  [ ! -e "$tmp/func/figures/latency_percentiles.png" ] || fail "plot.py drew latency for a functional run"
  grep -q "^skipped .*functional" "$tmp/plot-func.out" ||
    fail "plot.py did not say why it skipped figures of a functional run"
}

# --- sweep.py --------------------------------------------------------------
cp scenarios/pcp-on-vs-off.json "$tmp/scen.json"
cat >"$tmp/tiny.json" <<'EOF'
{
  "name": "tiny",
  "scenario": "scen.json",
  "seed": 3,
  "set": {"workload.phases[0].duration": "5ms", "record.interval": 0},
  "grid": {"allocator.pcp": [true, false]}
}
EOF
out=$("$py" scripts/sweep.py "$tmp/tiny.json" -o "$tmp/sw" --dry-run 2>&1) || fail "sweep.py --dry-run: exit $?: $out"
n=$(grep -c -- "run $tmp/scen.json .*--seed 3 -o $tmp/sw/runs/" <<<"$out")
[ "$n" -eq 2 ] || fail "sweep.py --dry-run printed $n run commands, expected 2: $out"
[ ! -e "$tmp/sw" ] || fail "sweep.py --dry-run wrote $tmp/sw"
for f in scenarios/sweeps/*.json; do
  out=$("$py" scripts/sweep.py "$f" -o "$tmp/shipped" --dry-run 2>&1) || fail "sweep.py --dry-run $f: $out"
done
pass "sweep.py --dry-run"

out=$("$py" scripts/sweep.py "$tmp/tiny.json" -o "$tmp/sw" -j 2 --plot latency_ns.alloc.p99:allocator.pcp 2>&1) ||
  fail "sweep.py: exit $?: $out"
csv=$tmp/sw/sweep.csv
if [ -s "$csv" ]; then
  header=$(head -1 "$csv")
  columns=$(tr ',' '\n' <<<"$header")
  [[ $header == run,allocator.pcp,seed,status,* ]] || fail "sweep.csv header starts ${header:0:60}"
  for col in latency_ns.alloc.p99 latency_ns.alloc.p99.9 hardware.zone_lock.wait_total_ns \
             hardware.zone_lock.contentions alloc_paths.pcp_hit alloc_share.pcp_hit \
             hardware.dram.row_hit_rate machine.cpus simulated_s run.host_seconds; do
    grep -qxF "$col" <<<"$columns" || fail "sweep.csv has no column $col"
  done
  rows=$(tail -n +2 "$csv" | grep -c ',ok,')
  [ "$rows" -eq 2 ] || fail "sweep.csv has $rows complete rows, expected 2"
  pass "sweep.csv: $(wc -l <<<"$columns") columns, $rows rows"
else
  fail "sweep.py wrote no $csv"
fi
expect_figures "sweep.py --plot" "$tmp/sw/figures" latency_ns.alloc.p99_vs_allocator.pcp
out=$("$py" scripts/sweep.py "$tmp/tiny.json" -o "$tmp/sw" 2>&1) || fail "sweep.py resume: exit $?: $out"
grep -q "2 already complete, 0 to run" <<<"$out" || fail "sweep.py re-ran complete runs: $out"
out=$("$py" scripts/plot.py "$tmp/sw" 2>&1) || fail "plot.py on a sweep folder: exit $?: $out"
expect_figures "plot.py sweep folder" "$tmp/sw/figures" sweep_latency_vs_allocator.pcp sweep_zone_lock_vs_allocator.pcp

check_plots

# --- bad input -------------------------------------------------------------
expect_bad_input "plot.py, no such folder" "$py" scripts/plot.py "$tmp/nonexistent"
mkdir -p "$tmp/bad" && cp "$tmp/func/summary.json" "$tmp/func/timeseries.csv" "$tmp/bad/"
echo '{"scenario": "x",' >"$tmp/bad/summary.json"
expect_bad_input "plot.py, invalid summary.json" "$py" scripts/plot.py "$tmp/bad"
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["zones"]=3; json.dump(d,open(sys.argv[2],"w"))' \
  "$tmp/func/summary.json" "$tmp/bad/summary.json"
expect_bad_input "plot.py, malformed summary.json" "$py" scripts/plot.py "$tmp/bad"
cp "$tmp/func/summary.json" "$tmp/bad/" && sed -i '2s/^[0-9]*,/x,/' "$tmp/bad/timeseries.csv"
expect_bad_input "plot.py, malformed timeseries.csv" "$py" scripts/plot.py "$tmp/bad"
expect_bad_input "compare.py, one folder missing" "$py" scripts/compare.py "$tmp/on" "$tmp/nonexistent"
echo '{"scenario": "scen.json", "grid": {"allocator.pcpp": [true]}}' >"$tmp/typo.json"
expect_bad_input "sweep.py, unknown --set key" "$py" scripts/sweep.py "$tmp/typo.json" -o "$tmp/sw2"
echo '{"scenario": "scen.json", "gird": {}}' >"$tmp/typo2.json"
expect_bad_input "sweep.py, unknown sweep key" "$py" scripts/sweep.py "$tmp/typo2.json" --dry-run
expect_bad_input "sweep.py, no such sweep file" "$py" scripts/sweep.py "$tmp/nonexistent.json"

if ((failures)); then
  echo "check-scripts: $failures check(s) failed" >&2
  exit 1
fi
echo "check-scripts: all checks passed"
