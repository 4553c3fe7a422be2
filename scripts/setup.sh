#!/usr/bin/env bash
# Idempotent set-up on Debian 12: installs the Debian packages buddysim and its
# plotting and sweep scripts need (only those missing), configures and builds
# (profile-guided: the first run trains the profile, scripts/pgo.sh).
# Quiet when nothing changes.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build pkgconf libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libboost-program-options-dev libsystemc-dev
  parallel python3-matplotlib)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "buddysim setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

build_dir=${BUDDYSIM_BUILD_DIR:-build}
# Profile-guided optimisation (scripts/pgo.sh) makes whole runs about 10%
# faster; it is trained once per build folder. BUDDYSIM_PGO=0 builds without.
profile=
if [ "${BUDDYSIM_PGO:-1}" != 0 ]; then
  if [ ! -f "$build_dir/pgo/current" ]; then
    echo "buddysim setup: training the profile-guided build (about 3 minutes, once)" >&2
    bash scripts/pgo.sh "$build_dir"
  fi
  profile=$(cat "$build_dir/pgo/current")
fi
configured=$(sed -n 's/^BUDDYSIM_PROFILE_USE:[A-Z]*=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true)
if [ ! -f "$build_dir/build.ninja" ] || [ "$configured" != "$profile" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUDDYSIM_PROFILE_USE="$profile" >/dev/null
fi
jobs=${BUDDYSIM_JOBS:-$(nproc)}
ninja -C "$build_dir" --quiet -j "$jobs" | { grep -v '^ninja: no work to do.$' || true; }
