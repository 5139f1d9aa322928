// nn::init: each initialiser overwrites the tensor's values in place with no
// autograd recording, so a parameter stays a leaf.
#include "kiln/nn/init.h"

#include <cmath>

#include "kiln/autograd.h"
#include "kiln/functions.h"

namespace kiln::nn::init {
namespace {
Tensor fill_from(Tensor& tensor, const Tensor& values) {
  NoGradGuard no_grad;
  tensor.copy_(values);
  return tensor;
}
int64_t fan(const Tensor& tensor, FanModeType mode, const char* op) {
  auto [in, out] = _calculate_fan_in_and_fan_out(tensor);
  int64_t f = mode.fan_in() ? in : out;
  KILN_CHECK(f > 0, op, ": cannot initialise a tensor with zero elements (shape ", tensor.sizes(), ")");
  return f;
}
}  // namespace

double calculate_gain(NonlinearityType nonlinearity, double param) {
  switch (nonlinearity.kind()) {
    case NonlinearityType::Tanh: return 5.0 / 3.0;
    case NonlinearityType::ReLU: return std::sqrt(2.0);
    case NonlinearityType::LeakyReLU: return std::sqrt(2.0 / (1 + param * param));
    default: return 1.0;
  }
}

std::tuple<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& tensor) {
  KILN_CHECK(tensor.dim() >= 2, "nn::init: fan in and fan out can not be computed for a tensor with fewer than 2 ",
             "dimensions (shape ", tensor.sizes(), ")");
  int64_t receptive = 1;
  for (int64_t d = 2; d < tensor.dim(); ++d) receptive *= tensor.size(d);
  return {tensor.size(1) * receptive, tensor.size(0) * receptive};
}

Tensor uniform_(Tensor tensor, double low, double high) {
  return fill_from(tensor, rand(tensor.sizes(), tensor.dtype()) * (high - low) + low);
}
Tensor normal_(Tensor tensor, double mean, double std) {
  return fill_from(tensor, randn(tensor.sizes(), tensor.dtype()) * std + mean);
}
Tensor constant_(Tensor tensor, Scalar value) {
  NoGradGuard no_grad;
  tensor.fill_(value);
  return tensor;
}
Tensor zeros_(Tensor tensor) { return constant_(tensor, 0); }
Tensor ones_(Tensor tensor) { return constant_(tensor, 1); }
Tensor eye_(Tensor matrix) {
  KILN_CHECK(matrix.dim() == 2, "nn::init::eye_: only 2-D tensors are supported, got shape ", matrix.sizes());
  return fill_from(matrix, eye(matrix.size(0), matrix.size(1), matrix.dtype()));
}

Tensor kaiming_uniform_(Tensor tensor, double a, FanModeType mode, NonlinearityType nonlinearity) {
  double bound = std::sqrt(3.0) * calculate_gain(nonlinearity, a) /
                 std::sqrt(static_cast<double>(fan(tensor, mode, "kaiming_uniform_")));
  return uniform_(tensor, -bound, bound);
}
Tensor kaiming_normal_(Tensor tensor, double a, FanModeType mode, NonlinearityType nonlinearity) {
  double std = calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(fan(tensor, mode, "kaiming_normal_")));
  return normal_(tensor, 0, std);
}
Tensor xavier_uniform_(Tensor tensor, double gain) {
  auto [in, out] = _calculate_fan_in_and_fan_out(tensor);
  double bound = gain * std::sqrt(6.0 / static_cast<double>(in + out));
  return uniform_(tensor, -bound, bound);
}
Tensor xavier_normal_(Tensor tensor, double gain) {
  auto [in, out] = _calculate_fan_in_and_fan_out(tensor);
  return normal_(tensor, 0, gain * std::sqrt(2.0 / static_cast<double>(in + out)));
}

}  // namespace kiln::nn::init
