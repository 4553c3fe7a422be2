#!/usr/bin/env bash
# Runs the model benchmarks: the speed group with repetitions (medians), the
# 1 TiB boot alone in its own process so its peak RSS is not mixed with others;
# the workload generator alone and the DRAM model;
# then whole runs, timed and functional (operations per host second).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bin=${BUDDYSIM_BUILD_DIR:-build}/model_bench
"$bin" --benchmark_filter='BM_(Order0|Mixed)' --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
"$bin" --benchmark_filter='BM_Boot1TiB8Nodes'
"${BUDDYSIM_BUILD_DIR:-build}/generator_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
"${BUDDYSIM_BUILD_DIR:-build}/dram_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
bash bench/timed_speed.sh
