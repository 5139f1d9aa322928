// libtorch's column: the shared case bodies compiled against libtorch 1.13.
#include <torch/torch.h>

#include <algorithm>

#include "registry.h"

extern "C" void openblas_set_num_threads(int);

namespace lib = torch;
#define KILN_BENCH_LIB "torch"
#include "cases.inc"

namespace bench {
void register_torch_cases() {
  // libtorch's set_num_threads does not reach OpenBLAS, which its matmul calls.
  add_library({"torch", [](int n) {
                 torch::set_num_threads(n);
                 openblas_set_num_threads(n);
               }});
  register_lib_cases();
}
}  // namespace bench
