#!/usr/bin/env bash
# Installs what kiln needs from Debian, only what is missing (idempotent).
# python3-torch (PyTorch 1.13) is the oracle several tests compare against.
# --fuzz adds clang and its fuzzer runtime for tools/fuzz.sh.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libopenblas-dev liblapacke-dev libgtest-dev libgmock-dev
          libbenchmark-dev libcairo2-dev zlib1g-dev python3 python3-numpy python3-torch
          libopenmpi-dev openmpi-bin)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev libomp-14-dev)
  shift
fi
packages+=("$@")
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
