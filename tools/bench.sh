#!/usr/bin/env bash
# Builds kiln_bench (kiln beside libtorch 1.13 when installed), runs every
# case with repetitions and prints the table of medians and kiln/libtorch
# ratios against the issue's targets (tools/bench_table.py), then the
# peak-memory probes (each in a fresh process).
#   tools/bench.sh                         # everything, 5 repetitions
#   REPS=3 tools/bench.sh --benchmark_filter=chain   # extra args go to kiln_bench
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
REPS=${REPS:-5}
OUT=${OUT:-$BUILD/bench_results.json}
cmake -S . -B "$BUILD" -G Ninja -DKILN_BUILD_BENCH=ON -DKILN_BUILD_EXAMPLES=OFF >/dev/null
ninja -C "$BUILD" kiln_bench >/dev/null
# Both runtimes read these once, at load; each case then sets its own count
# (kiln::set_num_threads / torch::set_num_threads / omp_set_num_threads).
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2
"$BUILD/bench/kiln_bench" --benchmark_repetitions="$REPS" --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.3 --benchmark_out="$OUT" --benchmark_out_format=json "$@" >"$BUILD/bench_console.txt"
"$BUILD/bench/kiln_bench" --memory >"$BUILD/bench_memory.txt"
# torch.distributions has no C++ form: its column comes from Python, 1 thread.
OMP_NUM_THREADS=1 /usr/bin/python3 bench/torch_distributions.py "$BUILD/bench_torch_distributions.json" "$REPS"
python3 tools/bench_table.py "$OUT" "$BUILD/bench_torch_distributions.json" --memory "$BUILD/bench_memory.txt"
