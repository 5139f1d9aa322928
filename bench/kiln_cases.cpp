// kiln's column: the shared case bodies compiled against kiln.
#include <kiln/kiln.h>

#include <algorithm>

#include "registry.h"

namespace lib = kiln;
#define KILN_BENCH_LIB "kiln"
#include "cases.inc"

namespace bench {
void register_kiln_cases() {
  add_library({"kiln", [](int n) { kiln::set_num_threads(n); }});
  register_lib_cases();
}
}  // namespace bench
