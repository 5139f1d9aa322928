// One thread budget shared by kiln's kernels and OpenBLAS.
#pragma once

namespace kiln {

void set_num_threads(int n);
int get_num_threads();

}  // namespace kiln
