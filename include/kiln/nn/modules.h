// The layers of kiln::nn (torch::nn's): Linear, the activations, Dropout,
// Flatten, LayerNorm, Embedding, BatchNorm1d and the losses as modules.
#pragma once
#include <cstdint>
#include <string>

#include "kiln/nn/functional.h"
#include "kiln/nn/module.h"

namespace kiln::nn {

// y = x W^T + b; W [out, in] ~ kaiming_uniform(a = sqrt(5)), b ~ U(-1/sqrt(in), 1/sqrt(in)).
class LinearImpl : public Cloneable<LinearImpl> {
 public:
  LinearImpl(int64_t in_features, int64_t out_features) : LinearImpl(LinearOptions(in_features, out_features)) {}
  explicit LinearImpl(const LinearOptions& options);
  void reset() override;
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);

  LinearOptions options;
  Tensor weight;
  Tensor bias;
};
KILN_MODULE(Linear);

// An activation without parameters: `forward` applies `Fn` with the options.
#define KILN_ACTIVATION(Name, Options, call)                         \
  class Name##Impl : public Cloneable<Name##Impl> {                        \
   public:                                                                 \
    explicit Name##Impl(const Options& options_ = {}) : options(options_) {} \
    void reset() override {}                                               \
    void pretty_print(std::ostream& stream) const override;                \
    Tensor forward(const Tensor& input) { return call; }                   \
    Options options;                                                       \
  };                                                                       \
  KILN_MODULE(Name)

struct NoOptions {};
KILN_ACTIVATION(ReLU, ReLUOptions, functional::relu(input, options));
KILN_ACTIVATION(LeakyReLU, LeakyReLUOptions, functional::leaky_relu(input, options));
KILN_ACTIVATION(GELU, GELUOptions, functional::gelu(input, options));
KILN_ACTIVATION(Softplus, SoftplusOptions, functional::softplus(input, options));
KILN_ACTIVATION(Tanh, NoOptions, input.tanh());
KILN_ACTIVATION(Sigmoid, NoOptions, input.sigmoid());
#undef KILN_ACTIVATION

struct SoftmaxOptions {
  SoftmaxOptions(int64_t dim) : dim_(dim) {}  // NOLINT
  KILN_ARG(int64_t, dim);
};
class SoftmaxImpl : public Cloneable<SoftmaxImpl> {
 public:
  explicit SoftmaxImpl(int64_t dim) : options(dim) {}
  explicit SoftmaxImpl(const SoftmaxOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  SoftmaxOptions options;
};
KILN_MODULE(Softmax);
class LogSoftmaxImpl : public Cloneable<LogSoftmaxImpl> {
 public:
  explicit LogSoftmaxImpl(int64_t dim) : options(dim) {}
  explicit LogSoftmaxImpl(const SoftmaxOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  SoftmaxOptions options;
};
KILN_MODULE(LogSoftmax);

class DropoutImpl : public Cloneable<DropoutImpl> {
 public:
  explicit DropoutImpl(const DropoutOptions& options_ = {});
  explicit DropoutImpl(double p) : DropoutImpl(DropoutOptions(p)) {}
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  DropoutOptions options;
};
KILN_MODULE(Dropout);

class FlattenImpl : public Cloneable<FlattenImpl> {
 public:
  explicit FlattenImpl(const FlattenOptions& options_ = {}) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input) { return input.flatten(options.start_dim(), options.end_dim()); }
  FlattenOptions options;
};
KILN_MODULE(Flatten);

class IdentityImpl : public Cloneable<IdentityImpl> {
 public:
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input) { return input; }
};
KILN_MODULE(Identity);

class LayerNormImpl : public Cloneable<LayerNormImpl> {
 public:
  explicit LayerNormImpl(const LayerNormOptions& options_);
  void reset() override;
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  LayerNormOptions options;
  Tensor weight;
  Tensor bias;
};
KILN_MODULE(LayerNorm);

// Rows of `weight` ~ N(0, 1) looked up by index (the padding row is zero).
class EmbeddingImpl : public Cloneable<EmbeddingImpl> {
 public:
  EmbeddingImpl(int64_t num_embeddings, int64_t embedding_dim)
      : EmbeddingImpl(EmbeddingOptions(num_embeddings, embedding_dim)) {}
  explicit EmbeddingImpl(const EmbeddingOptions& options_);
  void reset() override;
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& indices);
  EmbeddingOptions options;
  Tensor weight;
};
KILN_MODULE(Embedding);

// Normalises each feature over the batch; running statistics in eval mode.
class BatchNorm1dImpl : public Cloneable<BatchNorm1dImpl> {
 public:
  explicit BatchNorm1dImpl(int64_t num_features) : BatchNorm1dImpl(BatchNormOptions(num_features)) {}
  explicit BatchNorm1dImpl(const BatchNormOptions& options_);
  void reset() override;
  void reset_parameters();
  void reset_running_stats();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  BatchNormOptions options;
  Tensor weight, bias, running_mean, running_var, num_batches_tracked;
};
KILN_MODULE(BatchNorm1d);

// ---- losses as modules: forward(input, target) calls the function with the options.
#define KILN_LOSS(Name, Options, fn)                                          \
  class Name##Impl : public Cloneable<Name##Impl> {                          \
   public:                                                                   \
    explicit Name##Impl(const Options& options_ = {}) : options(options_) {} \
    void reset() override {}                                                 \
    void pretty_print(std::ostream& stream) const override;                  \
    Tensor forward(const Tensor& input, const Tensor& target) { return functional::fn(input, target, options); } \
    Options options;                                                         \
  };                                                                         \
  KILN_MODULE(Name)
KILN_LOSS(MSELoss, MSELossOptions, mse_loss);
KILN_LOSS(L1Loss, L1LossOptions, l1_loss);
KILN_LOSS(SmoothL1Loss, SmoothL1LossOptions, smooth_l1_loss);
KILN_LOSS(HuberLoss, HuberLossOptions, huber_loss);
KILN_LOSS(NLLLoss, NLLLossOptions, nll_loss);
KILN_LOSS(CrossEntropyLoss, CrossEntropyLossOptions, cross_entropy);
KILN_LOSS(BCELoss, BCELossOptions, binary_cross_entropy);
KILN_LOSS(BCEWithLogitsLoss, BCEWithLogitsLossOptions, binary_cross_entropy_with_logits);
#undef KILN_LOSS

}  // namespace kiln::nn
