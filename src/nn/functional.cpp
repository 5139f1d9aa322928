// nn::functional's activations, linear, layer norm, dropout and softmax.
#include "kiln/nn/functional.h"

#include <cmath>
#include <numbers>

#include "kiln/functions.h"

namespace kiln::nn::functional {

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  KILN_CHECK(input.defined() && weight.defined(), "linear: input and weight must be defined");
  KILN_CHECK(weight.dim() == 2, "linear: weight must be 2-D [out_features, in_features], got shape ", weight.sizes());
  KILN_CHECK(input.dim() >= 1 && input.size(-1) == weight.size(1), "linear: input of shape ", input.sizes(),
             " has ", input.dim() ? input.size(-1) : 0, " features, but weight of shape ", weight.sizes(), " expects ",
             weight.size(1));
  // A batch of rows is one addmm: the bias gradient is the column sum of the
  // output gradient, with no broadcast add in the graph.
  if (input.dim() == 2 && bias.defined()) return addmm(bias, input, weight.t());
  Tensor out = matmul(input, weight.t());
  return bias.defined() ? out + bias : out;
}

Tensor relu(const Tensor& input, const ReLUFuncOptions& options) {
  return options.inplace() ? const_cast<Tensor&>(input).relu_() : kiln::relu(input);
}

Tensor leaky_relu(const Tensor& input, const LeakyReLUFuncOptions& options) {
  Tensor out = where(input > 0, input, input * options.negative_slope());
  return options.inplace() ? const_cast<Tensor&>(input).copy_(out) : out;
}

Tensor gelu(const Tensor& input, const GELUFuncOptions& options) {
  const std::string& approximate = options.approximate();
  KILN_CHECK(approximate == "none" || approximate == "tanh", "gelu: approximate must be 'none' or 'tanh', got '",
             approximate, "'");
  if (approximate == "tanh") {
    const double k = std::sqrt(2.0 / std::numbers::pi);
    return 0.5 * input * (1 + kiln::tanh(k * (input + 0.044715 * input * input * input)));
  }
  return 0.5 * input * (1 + erf(input * (1 / std::numbers::sqrt2)));
}

Tensor softplus(const Tensor& input, const SoftplusFuncOptions& options) {
  return kiln::softplus(input, options.beta(), options.threshold());
}

Tensor dropout(const Tensor& input, const DropoutFuncOptions& options) {
  double p = options.p();
  KILN_CHECK(p >= 0 && p <= 1, "dropout: probability has to be between 0 and 1, but got ", p);
  if (!options.training() || p == 0) return input;
  Tensor out = p == 1 ? zeros_like(input) : input * (bernoulli(full_like(input, 1 - p)) * (1 / (1 - p)));
  return options.inplace() ? const_cast<Tensor&>(input).copy_(out) : out;
}

Tensor softmax(const Tensor& input, const SoftmaxFuncOptions& options) {
  return kiln::softmax(input, options.dim(), options.dtype());
}
Tensor log_softmax(const Tensor& input, const LogSoftmaxFuncOptions& options) {
  return kiln::log_softmax(input, options.dim(), options.dtype());
}

Tensor layer_norm(const Tensor& input, const LayerNormFuncOptions& options) {
  const auto& shape = options.normalized_shape();
  auto k = static_cast<int64_t>(shape.size());
  bool fits = k >= 1 && input.dim() >= k;
  for (int64_t i = 0; fits && i < k; ++i) fits = input.size(input.dim() - k + i) == shape[static_cast<size_t>(i)];
  KILN_CHECK(fits, "layer_norm: input of shape ", input.sizes(), " does not end in normalized_shape ",
             IntArrayRef(shape));
  std::vector<int64_t> dims;
  for (int64_t i = input.dim() - k; i < input.dim(); ++i) dims.push_back(i);
  Tensor mean = input.mean(dims, true);
  Tensor centered = input - mean;
  Tensor out = centered * rsqrt((centered * centered).mean(dims, true) + options.eps());
  if (options.weight().defined()) out = out * options.weight();
  if (options.bias().defined()) out = out + options.bias();
  return out;
}

}  // namespace kiln::nn::functional
