#!/usr/bin/env bash
# Set up, build and run every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec ctest --test-dir "${BUDDYSIM_BUILD_DIR:-build}" -j "$(nproc)" --output-on-failure --timeout 600 "$@"
