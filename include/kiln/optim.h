// kiln::optim (torch::optim): SGD, Adam, AdamW, RMSprop and LBFGS over
// parameter groups with per-group options, their state saved and loaded by
// name, and the schedulers StepLR and CosineAnnealingLR. Each step updates
// the parameters in place through kiln::fused (one pass, no autograd).
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "kiln/nn/options.h"
#include "kiln/tensor.h"

namespace kiln::optim {

// ---- options and per-parameter state, polymorphic as libtorch's
class OptimizerOptions {
 public:
  virtual ~OptimizerOptions() = default;
  virtual std::unique_ptr<OptimizerOptions> clone() const = 0;
  virtual double get_lr() const = 0;
  virtual void set_lr(double lr) = 0;
  // kiln: the options as named numbers (what save/load of an optimiser writes).
  virtual std::map<std::string, double> values() const = 0;
  virtual void set_values(const std::map<std::string, double>& values) = 0;
};

template <class Derived>
class OptimizerCloneableOptions : public OptimizerOptions {
 public:
  std::unique_ptr<OptimizerOptions> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
  double get_lr() const override { return static_cast<const Derived&>(*this).lr(); }
  void set_lr(double lr) override { static_cast<Derived&>(*this).lr(lr); }
};

class OptimizerParamState {
 public:
  virtual ~OptimizerParamState() = default;
  virtual std::unique_ptr<OptimizerParamState> clone() const = 0;
  // kiln: the state as named tensors (numbers as 0-d float64 tensors).
  virtual std::map<std::string, Tensor> tensors() const = 0;
  virtual void set_tensors(const std::map<std::string, Tensor>& tensors) = 0;
};

template <class Derived>
class OptimizerCloneableParamState : public OptimizerParamState {
 public:
  std::unique_ptr<OptimizerParamState> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

class OptimizerParamGroup {
 public:
  OptimizerParamGroup(std::vector<Tensor> params);  // NOLINT: implicit, as torch's
  OptimizerParamGroup(std::vector<Tensor> params, std::unique_ptr<OptimizerOptions> options);
  OptimizerParamGroup(const OptimizerParamGroup& other);
  OptimizerParamGroup& operator=(const OptimizerParamGroup& other);
  OptimizerParamGroup(OptimizerParamGroup&&) noexcept = default;
  OptimizerParamGroup& operator=(OptimizerParamGroup&&) noexcept = default;

  bool has_options() const { return options_ != nullptr; }
  OptimizerOptions& options();
  const OptimizerOptions& options() const;
  void set_options(std::unique_ptr<OptimizerOptions> options) { options_ = std::move(options); }
  std::vector<Tensor>& params() { return params_; }
  const std::vector<Tensor>& params() const { return params_; }

 private:
  std::vector<Tensor> params_;
  std::unique_ptr<OptimizerOptions> options_;
};

using LossClosure = std::function<Tensor()>;

class Optimizer {
 public:
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;
  virtual ~Optimizer() = default;

  // A group without options takes a copy of the defaults.
  void add_param_group(const OptimizerParamGroup& param_group);
  // Sets each parameter's gradient to zero (set_to_none: drops it).
  void zero_grad(bool set_to_none = false);
  // One update; the closure re-evaluates the loss (LBFGS needs it).
  virtual Tensor step(LossClosure closure = nullptr) = 0;

  // The first group's parameters (libtorch 1.13's parameters()).
  const std::vector<Tensor>& parameters() const noexcept;
  std::vector<Tensor>& parameters() noexcept;
  // Every group's parameters.
  size_t size() const noexcept;
  OptimizerOptions& defaults() noexcept { return *defaults_; }
  const OptimizerOptions& defaults() const noexcept { return *defaults_; }
  std::vector<OptimizerParamGroup>& param_groups() noexcept { return param_groups_; }
  const std::vector<OptimizerParamGroup>& param_groups() const noexcept { return param_groups_; }
  // Per-parameter state, keyed by the parameter's identity (param_key).
  std::unordered_map<std::string, std::unique_ptr<OptimizerParamState>>& state() noexcept { return state_; }
  const std::unordered_map<std::string, std::unique_ptr<OptimizerParamState>>& state() const noexcept {
    return state_;
  }
  static std::string param_key(const Tensor& param);
  const std::string& name() const { return name_; }

  // kiln: what save/load write: "<i>.<name>" for the i-th parameter (over all
  // groups in order) and "group.<g>.<option>" for each group's options.
  std::map<std::string, Tensor> state_tensors() const;
  void load_state_tensors(const std::map<std::string, Tensor>& tensors);

 protected:
  Optimizer(std::string name, std::vector<OptimizerParamGroup> param_groups,
            std::unique_ptr<OptimizerOptions> defaults);
  // A fresh state object for a parameter (the derived optimiser's type).
  virtual std::unique_ptr<OptimizerParamState> make_state() const = 0;
  // The loss from `closure` with gradients recorded, or undefined without one
  // (the first thing every first-order step does).
  static Tensor evaluate(const LossClosure& closure);
  // Whether each state tensor is shaped like its parameter (checked on load).
  virtual bool state_is_per_element() const { return true; }
  template <class State>
  State& state_for(const Tensor& param) {
    auto& slot = state_[param_key(param)];
    if (!slot) slot = std::make_unique<State>();
    return static_cast<State&>(*slot);
  }

  std::string name_;
  std::unique_ptr<OptimizerOptions> defaults_;
  std::vector<OptimizerParamGroup> param_groups_;
  std::unordered_map<std::string, std::unique_ptr<OptimizerParamState>> state_;
};

// ---- SGD
struct SGDOptions : public OptimizerCloneableOptions<SGDOptions> {
  SGDOptions(double lr);  // NOLINT: implicit, as torch's
  KILN_ARG(double, lr);
  KILN_ARG(double, momentum) = 0;
  KILN_ARG(double, dampening) = 0;
  KILN_ARG(double, weight_decay) = 0;
  KILN_ARG(bool, nesterov) = false;

 public:
  std::map<std::string, double> values() const override;
  void set_values(const std::map<std::string, double>& values) override;
};
struct SGDParamState : public OptimizerCloneableParamState<SGDParamState> {
  KILN_ARG(Tensor, momentum_buffer);

 public:
  std::map<std::string, Tensor> tensors() const override;
  void set_tensors(const std::map<std::string, Tensor>& tensors) override;
};
class SGD : public Optimizer {
 public:
  SGD(std::vector<OptimizerParamGroup> param_groups, SGDOptions defaults);
  SGD(std::vector<Tensor> params, SGDOptions defaults) : SGD(std::vector<OptimizerParamGroup>{std::move(params)}, defaults) {}
  Tensor step(LossClosure closure = nullptr) override;

 protected:
  std::unique_ptr<OptimizerParamState> make_state() const override { return std::make_unique<SGDParamState>(); }
};

// ---- Adam and AdamW
using Betas = std::tuple<double, double>;
struct AdamOptions : public OptimizerCloneableOptions<AdamOptions> {
  AdamOptions(double lr = 1e-3);  // NOLINT
  KILN_ARG(double, lr);
  KILN_ARG(Betas, betas) = std::make_tuple(0.9, 0.999);
  KILN_ARG(double, eps) = 1e-8;
  KILN_ARG(double, weight_decay) = 0;
  KILN_ARG(bool, amsgrad) = false;

 public:
  std::map<std::string, double> values() const override;
  void set_values(const std::map<std::string, double>& values) override;
};
struct AdamWOptions : public OptimizerCloneableOptions<AdamWOptions> {
  AdamWOptions(double lr = 1e-3);  // NOLINT
  KILN_ARG(double, lr);
  KILN_ARG(Betas, betas) = std::make_tuple(0.9, 0.999);
  KILN_ARG(double, eps) = 1e-8;
  KILN_ARG(double, weight_decay) = 1e-2;
  KILN_ARG(bool, amsgrad) = false;

 public:
  std::map<std::string, double> values() const override;
  void set_values(const std::map<std::string, double>& values) override;
};
struct AdamParamState : public OptimizerCloneableParamState<AdamParamState> {
  KILN_ARG(int64_t, step) = 0;
  KILN_ARG(Tensor, exp_avg);
  KILN_ARG(Tensor, exp_avg_sq);
  KILN_ARG(Tensor, max_exp_avg_sq) = {};

 public:
  std::map<std::string, Tensor> tensors() const override;
  void set_tensors(const std::map<std::string, Tensor>& tensors) override;
};
using AdamWParamState = AdamParamState;
class Adam : public Optimizer {
 public:
  Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults = {});
  Adam(std::vector<Tensor> params, AdamOptions defaults = {})
      : Adam(std::vector<OptimizerParamGroup>{std::move(params)}, defaults) {}
  Tensor step(LossClosure closure = nullptr) override;

 protected:
  std::unique_ptr<OptimizerParamState> make_state() const override { return std::make_unique<AdamParamState>(); }
};
class AdamW : public Optimizer {
 public:
  AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults = {});
  AdamW(std::vector<Tensor> params, AdamWOptions defaults = {})
      : AdamW(std::vector<OptimizerParamGroup>{std::move(params)}, defaults) {}
  Tensor step(LossClosure closure = nullptr) override;

 protected:
  std::unique_ptr<OptimizerParamState> make_state() const override { return std::make_unique<AdamParamState>(); }
};

// ---- RMSprop
struct RMSpropOptions : public OptimizerCloneableOptions<RMSpropOptions> {
  RMSpropOptions(double lr = 1e-2);  // NOLINT
  KILN_ARG(double, lr);
  KILN_ARG(double, alpha) = 0.99;
  KILN_ARG(double, eps) = 1e-8;
  KILN_ARG(double, weight_decay) = 0;
  KILN_ARG(double, momentum) = 0;
  KILN_ARG(bool, centered) = false;

 public:
  std::map<std::string, double> values() const override;
  void set_values(const std::map<std::string, double>& values) override;
};
struct RMSpropParamState : public OptimizerCloneableParamState<RMSpropParamState> {
  KILN_ARG(int64_t, step) = 0;
  KILN_ARG(Tensor, square_avg);
  KILN_ARG(Tensor, momentum_buffer) = {};
  KILN_ARG(Tensor, grad_avg) = {};

 public:
  std::map<std::string, Tensor> tensors() const override;
  void set_tensors(const std::map<std::string, Tensor>& tensors) override;
};
class RMSprop : public Optimizer {
 public:
  RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults = {});
  RMSprop(std::vector<Tensor> params, RMSpropOptions defaults = {})
      : RMSprop(std::vector<OptimizerParamGroup>{std::move(params)}, defaults) {}
  Tensor step(LossClosure closure = nullptr) override;

 protected:
  std::unique_ptr<OptimizerParamState> make_state() const override { return std::make_unique<RMSpropParamState>(); }
};

// ---- LBFGS (one parameter group; step needs the closure)
struct LBFGSOptions : public OptimizerCloneableOptions<LBFGSOptions> {
  LBFGSOptions(double lr = 1);  // NOLINT
  KILN_ARG(double, lr);
  KILN_ARG(int64_t, max_iter) = 20;
  KILN_ARG(std::optional<int64_t>, max_eval) = std::nullopt;  // max_iter * 5 / 4 when unset
  KILN_ARG(double, tolerance_grad) = 1e-7;
  KILN_ARG(double, tolerance_change) = 1e-9;
  KILN_ARG(int64_t, history_size) = 100;
  KILN_ARG(std::optional<std::string>, line_search_fn) = std::nullopt;  // or "strong_wolfe"

 public:
  std::map<std::string, double> values() const override;
  void set_values(const std::map<std::string, double>& values) override;
};
struct LBFGSParamState : public OptimizerCloneableParamState<LBFGSParamState> {
  KILN_ARG(int64_t, func_evals) = 0;
  KILN_ARG(int64_t, n_iter) = 0;
  KILN_ARG(double, t) = 0;
  KILN_ARG(double, prev_loss) = 0;
  KILN_ARG(Tensor, d) = {};
  KILN_ARG(double, H_diag) = 1;
  KILN_ARG(Tensor, prev_flat_grad) = {};
  KILN_ARG(std::deque<Tensor>, old_dirs);
  KILN_ARG(std::deque<Tensor>, old_stps);
  KILN_ARG(std::deque<double>, ro);

 public:
  std::map<std::string, Tensor> tensors() const override;
  void set_tensors(const std::map<std::string, Tensor>& tensors) override;
};
class LBFGS : public Optimizer {
 public:
  LBFGS(std::vector<OptimizerParamGroup> param_groups, LBFGSOptions defaults = {});
  LBFGS(std::vector<Tensor> params, LBFGSOptions defaults = {})
      : LBFGS(std::vector<OptimizerParamGroup>{std::move(params)}, defaults) {}
  Tensor step(LossClosure closure) override;

 protected:
  std::unique_ptr<OptimizerParamState> make_state() const override { return std::make_unique<LBFGSParamState>(); }
  bool state_is_per_element() const override { return false; }

 private:
  Tensor gather_flat_grad() const;
  void add_grad(double step_size, const Tensor& update);
  std::vector<Tensor> clone_params() const;
  void set_params(const std::vector<Tensor>& values);
  // Loss and flat gradient at x + t d (the parameters are put back to x after).
  std::tuple<double, Tensor> directional_evaluate(const LossClosure& closure, const std::vector<Tensor>& x, double t,
                                                  const Tensor& d);
};

// ---- learning-rate schedulers (call step() once per epoch)
class LRScheduler {
 public:
  explicit LRScheduler(Optimizer& optimizer);
  virtual ~LRScheduler() = default;
  void step();
  unsigned step_count() const { return step_count_; }

 protected:
  // The learning rates to set, from step_count_ = the number of earlier step()
  // calls (libtorch's convention: StepLR first decays on call step_size + 1).
  virtual std::vector<double> get_lrs() = 0;
  std::vector<double> get_current_lrs() const;
  Optimizer& optimizer_;
  unsigned step_count_ = 0;
};

class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, unsigned step_size, double gamma = 0.1);

 private:
  std::vector<double> get_lrs() override;
  unsigned step_size_;
  double gamma_;
};

// lr follows half a cosine from the initial lr down to eta_min over T_max calls
// of step() (PyTorch's recursive form; libtorch 1.13 has no such class).
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& optimizer, unsigned T_max, double eta_min = 0);

 private:
  std::vector<double> get_lrs() override;
  unsigned T_max_;
  double eta_min_;
  std::vector<double> base_lrs_;
};

}  // namespace kiln::optim

namespace kiln {
// An optimiser's state and group options in a safetensors file, by parameter position.
void save(const optim::Optimizer& optimizer, const std::string& path);
void load(optim::Optimizer& optimizer, const std::string& path);
}  // namespace kiln
