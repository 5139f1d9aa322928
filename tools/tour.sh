#!/usr/bin/env bash
# Installs what is missing, builds kiln and runs the tour of examples.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
# The tour needs neither GoogleTest nor the test suite's oracles.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKILN_BUILD_TESTS=OFF >/dev/null
cmake --build build --target tour
build/examples/tour "${1:-kiln-tour}"
