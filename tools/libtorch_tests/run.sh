#!/usr/bin/env bash
# Measures how many of libtorch's own frontend tests (test/cpp/api/tensor.cpp,
# tensor_indexing.cpp, autograd.cpp from PyTorch's repository) compile and
# pass against kiln with only the namespace changed (torch::, at::, c10:: ->
# kiln::). Each TEST is compiled on its own, so one gap fails one test.
#   tools/libtorch_tests/run.sh DIR_WITH_THE_TEST_FILES [BUILD_DIR]
# Prints per-test compile results, the first compiler error of each failure,
# and the compile/pass counts. Not part of CI (takes minutes).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
src="${1:?directory holding tensor.cpp tensor_indexing.cpp autograd.cpp}"
build="${2:-$root/build}"
work="${WORK_DIR:-/tmp/kiln_libtorch_tests}"
rm -rf "$work" && mkdir -p "$work/units"
python3 "$here/split.py" "$src" "$work/units" || exit 1
cxx="${CXX:-g++}"
flags=(-std=c++20 -O0 -w -I"$root/include" -I"$here")
# A precompiled header makes each unit cheap.
cp "$here/support.h" "$work/support.h"
"$cxx" "${flags[@]}" -x c++-header "$work/support.h" -o "$work/support.h.gch" || exit 1
compile() {
  local unit="$1"
  "$CXX_BIN" "${FLAGS[@]}" -I"$WORK" -include "$WORK/support.h" -c "$unit" -o "${unit%.cpp}.o" \
    2> "${unit%.cpp}.err" && rm -f "${unit%.cpp}.err"
}
export -f compile
export CXX_BIN="$cxx" WORK="$work"
export FLAGS_STR="${flags[*]}"
ls "$work"/units/*.cpp | xargs -P "${JOBS:-2}" -I{} bash -c 'FLAGS=($FLAGS_STR); compile {}'
total=$(ls "$work"/units/*.cpp | wc -l)
ok=$(ls "$work"/units/*.o 2>/dev/null | wc -l)
echo "== compile failures (first error each)"
for e in "$work"/units/*.err; do
  [ -e "$e" ] || continue
  printf '%s: %s\n' "$(basename "${e%.err}")" "$(grep -m1 'error' "$e" | sed 's/^[^:]*:[0-9]*:[0-9]*: //')"
done
"$cxx" -o "$work/tests" "$work"/units/*.o -L"$build" -Wl,-rpath,"$build" -lkiln -lgtest_main -lgtest -pthread \
  || { echo "link failed"; exit 1; }
"$work/tests" --gtest_brief=1 > "$work/run.log" 2>&1
passed=$(grep -c '^\[       OK \]' "$work/run.log" || true)
[ "$passed" = 0 ] && passed=$(( ok - $(grep -c '^\[  FAILED  \]' "$work/run.log") ))
echo "== failures at run time"
grep '^\[  FAILED  \]' "$work/run.log" | sort -u
echo "compiled: $ok of $total; passed: $passed of $total"
