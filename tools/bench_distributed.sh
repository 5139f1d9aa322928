#!/usr/bin/env bash
# The distributed benchmarks (issue 13): all_reduce bandwidth beside plain
# MPI_Allreduce on 2 ranks, and the MLP training step (784-512-512-10, batch
# 256) on 1 rank x 1 thread and on 2 ranks x 1 thread each (batch 128 each).
#   tools/bench_distributed.sh [--reps N]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
cmake -S . -B "$BUILD" -G Ninja -DKILN_BUILD_BENCH=ON -DKILN_BUILD_EXAMPLES=OFF -DKILN_BUILD_TESTS=OFF >/dev/null
ninja -C "$BUILD" kiln_distributed_bench >/dev/null
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
tools/mpirun.sh 2 "$BUILD/bench/kiln_distributed_bench" --only-bandwidth "$@"
tools/mpirun.sh 1 "$BUILD/bench/kiln_distributed_bench" --only-mlp "$@"
tools/mpirun.sh 2 "$BUILD/bench/kiln_distributed_bench" --only-mlp "$@"
