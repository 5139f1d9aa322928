// nn::functional's activations, linear, layer norm, dropout and softmax.
#include "kiln/nn/functional.h"

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

Tensor gelu(const Tensor& input, const GELUFuncOptions& options) { return kiln::gelu(input, options.approximate()); }

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
  return kiln::layer_norm(input, options.normalized_shape(), options.weight(), options.bias(), options.eps());
}

}  // namespace kiln::nn::functional
