#!/usr/bin/env bash
# The main job: set up, build, and run buddysim on its default machine and workload.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec "${BUDDYSIM_BUILD_DIR:-build}/buddysim" run "$@"
