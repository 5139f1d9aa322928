// The layers' parameters, initialisation (libtorch's defaults), forward and summary line.
#include <cmath>
#include <ostream>

#include "kiln/autograd.h"
#include "kiln/functions.h"
#include "kiln/nn/init.h"
#include "kiln/nn/modules.h"

namespace kiln::nn {

// ---- Linear
LinearImpl::LinearImpl(const LinearOptions& options_) : options(options_) { reset(); }

void LinearImpl::reset() {
  KILN_CHECK(options.in_features() >= 0 && options.out_features() >= 0, "Linear: in_features (",
             options.in_features(), ") and out_features (", options.out_features(), ") must be non-negative");
  weight = register_parameter("weight", kiln::empty({options.out_features(), options.in_features()}));
  bias = register_parameter("bias", options.bias() ? kiln::empty({options.out_features()}) : Tensor(), options.bias());
  reset_parameters();
}

void LinearImpl::reset_parameters() {
  if (options.in_features() == 0) {  // no fan-in to scale by: zeros, as torch leaves an empty weight
    init::zeros_(weight);
    if (bias.defined()) init::zeros_(bias);
    return;
  }
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    double bound = 1 / std::sqrt(static_cast<double>(options.in_features()));
    init::uniform_(bias, -bound, bound);
  }
}

Tensor LinearImpl::forward(const Tensor& input) {
  KILN_CHECK(input.defined(), "Linear: forward called with an undefined input");
  KILN_CHECK(input.dim() >= 1 && input.size(-1) == options.in_features(), "Linear(in_features=",
             options.in_features(), ", out_features=", options.out_features(), "): input of shape ", input.sizes(),
             " has ", input.dim() ? input.size(-1) : 0, " features, expected ", options.in_features());
  return functional::linear(input, weight, bias);
}

void LinearImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "kiln::nn::Linear(in_features=" << options.in_features()
         << ", out_features=" << options.out_features() << ", bias=" << options.bias() << ")";
}

// ---- activations and other parameterless layers
void ReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "kiln::nn::ReLU(" << (options.inplace() ? "inplace=true" : "") << ")";
}
void LeakyReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "kiln::nn::LeakyReLU(negative_slope=" << options.negative_slope()
         << (options.inplace() ? ", inplace=true" : "") << ")";
}
void GELUImpl::pretty_print(std::ostream& stream) const { stream << "kiln::nn::GELU()"; }
void SoftplusImpl::pretty_print(std::ostream& stream) const {
  stream << "kiln::nn::Softplus(beta=" << options.beta() << ", threshold=" << options.threshold() << ")";
}
void TanhImpl::pretty_print(std::ostream& stream) const { stream << "kiln::nn::Tanh()"; }
void SigmoidImpl::pretty_print(std::ostream& stream) const { stream << "kiln::nn::Sigmoid()"; }
void SoftmaxImpl::pretty_print(std::ostream& stream) const { stream << "kiln::nn::Softmax(dim=" << options.dim() << ")"; }
Tensor SoftmaxImpl::forward(const Tensor& input) { return kiln::softmax(input, options.dim()); }
void LogSoftmaxImpl::pretty_print(std::ostream& stream) const {
  stream << "kiln::nn::LogSoftmax(dim=" << options.dim() << ")";
}
Tensor LogSoftmaxImpl::forward(const Tensor& input) { return kiln::log_softmax(input, options.dim()); }
void FlattenImpl::pretty_print(std::ostream& stream) const {
  stream << "kiln::nn::Flatten(start_dim=" << options.start_dim() << ", end_dim=" << options.end_dim() << ")";
}
void IdentityImpl::pretty_print(std::ostream& stream) const { stream << "kiln::nn::Identity()"; }

DropoutImpl::DropoutImpl(const DropoutOptions& options_) : options(options_) { reset(); }
void DropoutImpl::reset() {
  KILN_CHECK(options.p() >= 0 && options.p() <= 1, "Dropout: probability has to be between 0 and 1, but got ",
             options.p());
}
Tensor DropoutImpl::forward(const Tensor& input) {
  return functional::dropout(input,
                             functional::DropoutFuncOptions().p(options.p()).training(is_training()).inplace(options.inplace()));
}
void DropoutImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "kiln::nn::Dropout(p=" << options.p() << ", inplace=" << options.inplace() << ")";
}

// ---- LayerNorm
LayerNormImpl::LayerNormImpl(const LayerNormOptions& options_) : options(options_) { reset(); }
void LayerNormImpl::reset() {
  if (options.elementwise_affine()) {
    weight = register_parameter("weight", kiln::empty(options.normalized_shape()));
    bias = register_parameter("bias", kiln::empty(options.normalized_shape()));
  } else {
    weight = register_parameter("weight", Tensor(), false);
    bias = register_parameter("bias", Tensor(), false);
  }
  reset_parameters();
}
void LayerNormImpl::reset_parameters() {
  if (!options.elementwise_affine()) return;
  init::ones_(weight);
  init::zeros_(bias);
}
Tensor LayerNormImpl::forward(const Tensor& input) {
  return functional::layer_norm(
      input, functional::LayerNormFuncOptions(options.normalized_shape()).weight(weight).bias(bias).eps(options.eps()));
}
void LayerNormImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "kiln::nn::LayerNorm(" << IntArrayRef(options.normalized_shape())
         << ", eps=" << options.eps() << ", elementwise_affine=" << options.elementwise_affine() << ")";
}

// ---- Embedding
EmbeddingImpl::EmbeddingImpl(const EmbeddingOptions& options_) : options(options_) { reset(); }
void EmbeddingImpl::reset() {
  if (options.padding_idx()) {
    int64_t& p = *options.padding_idx();
    KILN_CHECK(p < options.num_embeddings() && p >= -options.num_embeddings(), "Embedding: padding_idx ", p,
               " must be within num_embeddings (", options.num_embeddings(), ")");
    if (p < 0) p += options.num_embeddings();
  }
  weight = register_parameter("weight", kiln::empty({options.num_embeddings(), options.embedding_dim()}));
  reset_parameters();
}
void EmbeddingImpl::reset_parameters() {
  init::normal_(weight);
  if (options.padding_idx()) {
    NoGradGuard no_grad;
    weight[*options.padding_idx()].fill_(0);
  }
}
Tensor EmbeddingImpl::forward(const Tensor& indices) {
  KILN_CHECK(indices.dtype() == kInt64 || indices.dtype() == kInt32,
             "Embedding: expected integer indices (int64 or int32), got dtype ", indices.dtype());
  if (indices.numel() > 0) {
    int64_t lo = indices.min().item<int64_t>(), hi = indices.max().item<int64_t>();
    KILN_CHECK(lo >= 0 && hi < options.num_embeddings(), "Embedding: index ", lo < 0 ? lo : hi,
               " is out of range for num_embeddings=", options.num_embeddings());
  }
  std::vector<int64_t> shape = indices.sizes().vec();
  shape.push_back(options.embedding_dim());
  return weight.index_select(0, indices.reshape({-1})).reshape(shape);
}
void EmbeddingImpl::pretty_print(std::ostream& stream) const {
  stream << "kiln::nn::Embedding(num_embeddings=" << options.num_embeddings()
         << ", embedding_dim=" << options.embedding_dim();
  if (options.padding_idx()) stream << ", padding_idx=" << *options.padding_idx();
  stream << ")";
}

// ---- BatchNorm1d
BatchNorm1dImpl::BatchNorm1dImpl(const BatchNormOptions& options_) : options(options_) { reset(); }
void BatchNorm1dImpl::reset() {
  int64_t n = options.num_features();
  weight = register_parameter("weight", options.affine() ? kiln::empty({n}) : Tensor(), options.affine());
  bias = register_parameter("bias", options.affine() ? kiln::empty({n}) : Tensor(), options.affine());
  if (options.track_running_stats()) {
    running_mean = register_buffer("running_mean", zeros({n}));
    running_var = register_buffer("running_var", ones({n}));
    num_batches_tracked = register_buffer("num_batches_tracked", zeros({}, kInt64));
  }
  reset_parameters();
}
void BatchNorm1dImpl::reset_running_stats() {
  if (!options.track_running_stats()) return;
  init::zeros_(running_mean);
  init::ones_(running_var);
  init::zeros_(num_batches_tracked);
}
void BatchNorm1dImpl::reset_parameters() {
  reset_running_stats();
  if (!options.affine()) return;
  init::ones_(weight);
  init::zeros_(bias);
}
Tensor BatchNorm1dImpl::forward(const Tensor& input) {
  KILN_CHECK((input.dim() == 2 || input.dim() == 3) && input.size(1) == options.num_features(),
             "BatchNorm1d(", options.num_features(), "): expected input of shape [N, ", options.num_features(),
             "] or [N, ", options.num_features(), ", L], got ", input.sizes());
  std::vector<int64_t> dims = input.dim() == 2 ? std::vector<int64_t>{0} : std::vector<int64_t>{0, 2};
  std::vector<int64_t> shape(static_cast<size_t>(input.dim()), 1);
  shape[1] = options.num_features();
  bool use_batch = is_training() || !options.track_running_stats();
  Tensor mean, var;
  if (use_batch) {
    int64_t count = input.numel() / options.num_features();
    KILN_CHECK(count > 1 || !is_training(), "BatchNorm1d: expected more than 1 value per channel when training, got ",
               "input of shape ", input.sizes());
    mean = input.mean(dims);
    var = input.var(dims, false);
    if (is_training() && options.track_running_stats()) {
      NoGradGuard no_grad;
      num_batches_tracked.add_(1);
      double m = options.momentum() ? *options.momentum() : 1.0 / num_batches_tracked.item<double>();
      running_mean.mul_(1 - m).add_(mean.detach() * m);
      running_var.mul_(1 - m).add_(var.detach() * (m * count / static_cast<double>(count - 1)));
    }
  } else {
    mean = running_mean;
    var = running_var;
  }
  Tensor out = (input - mean.reshape(shape)) * rsqrt(var.reshape(shape) + options.eps());
  if (options.affine()) out = out * weight.reshape(shape) + bias.reshape(shape);
  return out;
}
void BatchNorm1dImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "kiln::nn::BatchNorm1d(" << options.num_features() << ", eps=" << options.eps()
         << ", momentum=";
  if (options.momentum()) stream << *options.momentum();
  else stream << "None";
  stream << ", affine=" << options.affine() << ", track_running_stats=" << options.track_running_stats() << ")";
}

// ---- losses
#define KILN_LOSS_PRINT(Name) \
  void Name##Impl::pretty_print(std::ostream& stream) const { stream << "kiln::nn::" #Name "()"; }
KILN_LOSS_PRINT(MSELoss)
KILN_LOSS_PRINT(L1Loss)
KILN_LOSS_PRINT(SmoothL1Loss)
KILN_LOSS_PRINT(HuberLoss)
KILN_LOSS_PRINT(NLLLoss)
KILN_LOSS_PRINT(CrossEntropyLoss)
KILN_LOSS_PRINT(BCELoss)
KILN_LOSS_PRINT(BCEWithLogitsLoss)
#undef KILN_LOSS_PRINT

}  // namespace kiln::nn
