#include "kernels/vector_math.h"

namespace kiln::kernels::vector_math {
namespace {
// One clone per ISA; the dynamic loader resolves to the best supported.
#define KILN_ISA_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

template <class T>
inline void exp_loop(T* out, const T* in, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = vector_math::exp(in[i]);
}
}  // namespace

KILN_ISA_CLONES void exp_float(float* out, const float* in, int64_t n) { exp_loop(out, in, n); }
KILN_ISA_CLONES void exp_double(double* out, const double* in, int64_t n) { exp_loop(out, in, n); }

void exp_array(float* out, const float* in, int64_t n) { exp_float(out, in, n); }
void exp_array(double* out, const double* in, int64_t n) { exp_double(out, in, n); }

}  // namespace kiln::kernels::vector_math
