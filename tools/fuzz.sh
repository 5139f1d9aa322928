#!/usr/bin/env bash
# Builds the libFuzzer targets for the file loaders (.npy, .npz, safetensors)
# with clang + AddressSanitizer/UBSan (kiln itself is built by the default
# compiler, without sanitizers) and runs each for a bounded time,
# starting from the committed seed corpus in tests/fuzz/corpus/<target>/.
#   usage: tools/fuzz.sh [seconds per target, default 60] [build dir, default build-fuzz]
# Crashing inputs are written to <build dir>/fuzz-artifacts/; the script exits
# non-zero if any target finds one.
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build-fuzz}
"$root/tools/setup.sh" --fuzz
# kiln must not carry gcc's ASan runtime next to clang's.
cmake -S "$root" -B "$build" -G Ninja -DKILN_BUILD_FUZZERS=ON -DKILN_SANITIZE=OFF -DKILN_BUILD_EXAMPLES=OFF >/dev/null
ninja -C "$build" fuzz_npy fuzz_npz fuzz_safetensors
mkdir -p "$build/fuzz-artifacts"
status=0
for target in npy npz safetensors; do
  work="$build/fuzz-corpus/$target"  # grows as the fuzzer learns; the seeds stay untouched
  mkdir -p "$work"
  echo "== fuzz_$target for ${seconds}s"
  "$build/tests/fuzz/${target}_fuzzer" "$work" "$root/tests/fuzz/corpus/$target" \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$target-" || status=1
done
exit $status
