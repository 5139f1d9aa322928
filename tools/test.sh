#!/usr/bin/env bash
# Installs what is missing, builds kiln and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --test
# CI sets KILN_WERROR=ON: the build stays warning-free.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKILN_BUILD_TESTS=ON -DKILN_WERROR=${KILN_WERROR:-OFF} >/dev/null
cmake --build build
ctest --test-dir build --output-on-failure -j2
