// Reverse-mode autodiff, as torch::autograd: graph nodes, the engine's entry
// points, grad mode guards and gradcheck. Forward mode, the functional API,
// custom functions and the GradientTape have headers of their own.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiln/tensor.h"

namespace kiln {
using variable_list = std::vector<Tensor>;

namespace autograd {
using variable_list = std::vector<Tensor>;
// libtorch's Variable is its Tensor.
using Variable = Tensor;
// A new leaf sharing `data`'s memory, without its history.
Variable make_variable(const Tensor& data, bool requires_grad = false);
class Node;
struct AnomalyMetadata;

// Where a gradient goes: input `input_nr` of `function`.
struct Edge {
  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;
  bool is_valid() const { return function != nullptr; }
};

using edge_list = SmallVector<Edge, 2>;

// A recorded operation. apply() maps the gradients w.r.t. the op's outputs to
// gradients w.r.t. its inputs (one per next edge).
class Node : public std::enable_shared_from_this<Node> {
 public:
  Node();
  virtual ~Node();
  virtual std::string name() const = 0;
  virtual variable_list apply(variable_list&& grads) = 0;
  // What the engine calls: apply() over inline lists, so that a node taking
  // and returning one or two gradients (most do) costs no allocation. Nodes
  // override whichever is natural; the default runs apply().
  using GradList = SmallVector<Tensor, 2>;
  virtual GradList run(GradList&& grads);
  // Frees what the backward saved (after a backward without retain_graph).
  virtual void release_variables() {}

  const edge_list& next_edges() const { return next_edges_; }
  const Edge& next_edge(size_t i) const { return next_edges_[i]; }
  size_t num_outputs() const { return next_edges_.size(); }
  uint32_t num_inputs() const { return num_inputs_; }
  uint64_t sequence_nr() const { return sequence_nr_; }

  // Hooks on the gradients this node receives, i.e. on its forward outputs
  // (tensor hooks, retain_grad); created on first use, as most nodes have none.
  struct Hooks {
    // Run in registration order, as in libtorch 1.13: a tensor hook (fn), or
    // a retain_grad() slot that keeps the gradient as it arrives there.
    struct Hook {
      uint32_t output_nr;
      unsigned id;
      Callable<Tensor(const Tensor&)> fn;
      std::shared_ptr<Tensor> retained;
    };
    std::vector<Hook> pre;
  };
  Hooks& hooks();
  Hooks* hooks_if() const { return hooks_.get(); }

  struct InputMeta {
    Shape shape;
    ScalarType dtype;
  };

 private:
  // The fields the engine reads for every node come first, to share the
  // node's first cache lines.
  uint64_t sequence_nr_;
  std::unique_ptr<Hooks> hooks_;

 public:
  // Engine bookkeeping, set when the node is recorded.
  uint32_t num_inputs_ = 1;  // gradients this node receives (its forward outputs)
  // Inline for the one or two inputs most ops have: recording allocates nothing more.
  edge_list next_edges_;
  SmallVector<InputMeta, 2> input_meta_;  // shape/dtype of the tensor behind each next edge
  // Where the node was recorded, kept in anomaly mode only.
  std::shared_ptr<const AnomalyMetadata> anomaly_;
};

// Enables or disables gradient recording on this thread.
struct GradMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};
class AutoGradMode {
 public:
  explicit AutoGradMode(bool enabled) : previous_(GradMode::is_enabled()) { GradMode::set_enabled(enabled); }
  ~AutoGradMode() { GradMode::set_enabled(previous_); }
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool previous_;
};
class NoGradGuard : public AutoGradMode {
 public:
  NoGradGuard() : AutoGradMode(false) {}
};
class EnableGradGuard : public AutoGradMode {
 public:
  EnableGradGuard() : AutoGradMode(true) {}
};

// Anomaly mode: nodes recorded while it is on remember the call stack that
// created them; a backward that fails (or, with check_nan, returns NaN)
// raises kiln::Error after warning with those stacks (src/autograd/anomaly.h).
struct AnomalyMode {
  static bool is_enabled();
  static bool should_check_nan();
  static void set_enabled(bool enabled, bool check_nan = true);
};
// Anomaly mode on while alive.
class DetectAnomalyGuard {
 public:
  explicit DetectAnomalyGuard(bool check_nan = true);
  ~DetectAnomalyGuard();
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;
  static bool is_enabled();

 private:
  bool previous_, previous_check_nan_;
};

// Gradients of `outputs` w.r.t. `inputs` (not accumulated into .grad()).
variable_list grad(const variable_list& outputs, const variable_list& inputs,
                   const variable_list& grad_outputs = {}, std::optional<bool> retain_graph = std::nullopt,
                   bool create_graph = false, bool allow_unused = false);
// Accumulates the gradients of `tensors` into the leaves' .grad().
void backward(const variable_list& tensors, const variable_list& grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
              const variable_list& inputs = {});

// Compares analytic gradients of f at `inputs` with float64 central
// differences. Returns false on mismatch, or throws naming the first
// mismatch when raise_exception.
// libtorch's UndefinedGrad: apply({x, ...}) returns copies of the inputs
// whose gradients flow back as undefined tensors (how a program checks that
// its backward formulas and hooks accept an absent gradient).
struct UndefinedGrad {
  variable_list apply(variable_list&& inputs) const;
};

bool gradcheck(const Callable<variable_list(const variable_list&)>& f, const variable_list& inputs,
               double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raise_exception = true);
bool gradcheck(const Callable<Tensor(const variable_list&)>& f, const variable_list& inputs,
               double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raise_exception = true);
// Second derivatives: gradcheck of the gradient itself.
bool gradgradcheck(const Callable<Tensor(const variable_list&)>& f, const variable_list& inputs,
                   double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raise_exception = true);

}  // namespace autograd

using autograd::AutoGradMode;
using autograd::EnableGradGuard;
using autograd::GradMode;
using autograd::NoGradGuard;

}  // namespace kiln
