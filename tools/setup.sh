#!/usr/bin/env bash
# Installs what kiln needs from Debian, only what is missing (idempotent).
#   tools/setup.sh            what building kiln and running the tour need
#   tools/setup.sh --test     + the test suite's oracles (PyTorch 1.13, scikit-learn,
#                             SciPy), libtorch for the side-by-side checks, MPI
#   tools/setup.sh --fuzz     + clang and its fuzzer runtime for tools/fuzz.sh
# Further arguments are extra package names.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libopenblas-dev liblapacke-dev libcairo2-dev zlib1g-dev)
while [ $# -gt 0 ]; do
  case "$1" in
    --test) packages+=(libgtest-dev libgmock-dev libbenchmark-dev dpkg-dev python3 python3-numpy
                       python3-torch python3-sklearn python3-scipy libtorch-dev libopenmpi-dev openmpi-bin) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev libomp-14-dev) ;;
    *) packages+=("$1") ;;
  esac
  shift
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
