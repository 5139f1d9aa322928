// Shared by the test programs: deterministic float64 inputs and a
// forward-mode check against central differences.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>

#include "kiln/kiln.h"

namespace kiln::test {

// Uniform values in [lo, hi), float64, requiring grad; reproducible (seeded).
inline Tensor uniform(IntArrayRef shape, double lo, double hi, uint64_t seed) {
  manual_seed(seed);
  return (rand(shape, kFloat64) * (hi - lo) + lo).detach().requires_grad_();
}

// Checks the forward-mode JVP of f at `inputs` (tangents on every input that
// requires grad, all at once) against the central difference
// (f(x + eps v) - f(x - eps v)) / 2 eps. Returns a message, empty on success.
inline std::string forward_mode_mismatch(const std::function<Tensor(const variable_list&)>& f,
                                         const variable_list& inputs, double eps = 1e-6, double atol = 1e-5,
                                         double rtol = 1e-3) {
  variable_list tangents;
  for (size_t i = 0; i < inputs.size(); ++i)
    tangents.push_back(inputs[i].requires_grad() ? uniform(inputs[i].sizes(), -1, 1, 1000 + i).detach() : Tensor());
  Tensor jvp;
  {
    autograd::forward_ad::dual_level level;
    variable_list duals;
    for (size_t i = 0; i < inputs.size(); ++i)
      duals.push_back(tangents[i].defined() ? autograd::forward_ad::make_dual(inputs[i].detach(), tangents[i])
                                            : inputs[i]);
    Tensor out = f(duals);
    jvp = std::get<1>(autograd::forward_ad::unpack_dual(out));
    if (!jvp.defined()) jvp = zeros_like(out);
  }
  Tensor numeric;
  {
    NoGradGuard no_grad;
    variable_list plus, minus;
    for (size_t i = 0; i < inputs.size(); ++i) {
      plus.push_back(tangents[i].defined() ? inputs[i].detach() + eps * tangents[i] : inputs[i]);
      minus.push_back(tangents[i].defined() ? inputs[i].detach() - eps * tangents[i] : inputs[i]);
    }
    numeric = (f(plus) - f(minus)) / (2 * eps);
  }
  if (jvp.sizes() != numeric.sizes()) {
    std::ostringstream os;
    os << "tangent shape " << jvp.sizes() << " != output shape " << numeric.sizes();
    return os.str();
  }
  Tensor bad = (jvp.detach().to(kFloat64) - numeric).abs() > (atol + rtol * numeric.abs());
  if (!bad.any().item<bool>()) return "";
  std::ostringstream os;
  os << "forward-mode JVP differs from central differences:\n jvp = " << jvp.detach().reshape({-1})
     << "\n numeric = " << numeric.reshape({-1});
  return os.str();
}

}  // namespace kiln::test
