// The base of kiln::distributions (torch.distributions.Distribution in C++):
// a batch of distributions of one family, with batch_shape and event_shape;
// a sample's shape is sample_shape + batch_shape + event_shape.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "kiln/callable.h"
#include "kiln/functions.h"
#include "kiln/random.h"

namespace kiln::distributions {

// A parameter: a tensor, or a C++ number (which takes the dtype of the
// family's first tensor parameter, else the default dtype, as torch's
// broadcast_all).
class Param {
 public:
  Param(const Tensor& t) : tensor_(t) {}  // NOLINT: implicit, as torch accepts either
  template <class T>
    requires std::is_arithmetic_v<T>
  Param(T v) : number_(static_cast<double>(v)), is_number_(true) {}  // NOLINT
  bool is_number() const { return is_number_; }
  const Tensor& tensor() const { return tensor_; }
  double number() const { return number_; }

 private:
  Tensor tensor_;
  double number_ = 0;
  bool is_number_ = false;
};

// A set of values (torch.distributions.constraints): `check(value)` is a bool
// tensor over value's shape minus `event_dim` trailing dims.
struct Constraint {
  std::string name;  // torch's repr, e.g. "GreaterThan(lower_bound=0.0)"
  Callable<Tensor(const Tensor&)> check;
  int64_t event_dim = 0;
  bool is_discrete = false;
};

class Distribution {
 public:
  virtual ~Distribution() = default;
  // The class name, as torch's ("Normal").
  virtual std::string name() const = 0;
  // This class and the classes it specialises, most specific first (Chi2:
  // {"Chi2", "Gamma"}): kl_divergence looks pairs up in this order.
  virtual std::vector<std::string> lineage() const { return {name()}; }

  const std::vector<int64_t>& batch_shape() const { return batch_shape_; }
  const std::vector<int64_t>& event_shape() const { return event_shape_; }
  virtual bool has_rsample() const { return false; }
  virtual bool has_enumerate_support() const { return false; }
  virtual Constraint support() const = 0;

  // Draws without a graph; rsample keeps the pathwise gradient to the parameters.
  Tensor sample(IntArrayRef sample_shape = {}) const;
  Tensor sample(IntArrayRef sample_shape, Generator& gen) const;
  Tensor rsample(IntArrayRef sample_shape = {}) const;
  Tensor rsample(IntArrayRef sample_shape, Generator& gen) const;
  Tensor sample_n(int64_t n) const { return sample({n}); }

  virtual Tensor log_prob(const Tensor& value) const = 0;
  virtual Tensor cdf(const Tensor& value) const;
  virtual Tensor icdf(const Tensor& value) const;
  virtual Tensor entropy() const;
  virtual Tensor mean() const;
  virtual Tensor mode() const;
  virtual Tensor variance() const;
  virtual Tensor stddev() const { return variance().sqrt(); }
  virtual Tensor enumerate_support(bool expand = true) const;
  Tensor perplexity() const { return entropy().exp(); }

  // A copy of this distribution, and one expanded to a new batch shape (each
  // class also has `expand(batch_shape)` returning its own type).
  virtual std::shared_ptr<Distribution> clone() const = 0;
  virtual std::shared_ptr<Distribution> expand_shared(IntArrayRef batch_shape) const = 0;
  // torch's repr: "Normal(loc: torch.Size([3]), scale: 1.0)"-like, kiln's spelling.
  virtual std::string repr() const;

  // Raises unless `value` fits the event and batch shapes and lies in the support.
  void check_sample(const Tensor& value) const;

  // Whether parameters and log_prob's values are checked (torch's validate_args).
  bool validate_args() const { return validate_args_; }
  static void set_default_validate_args(bool value);
  static bool default_validate_args();

 protected:
  Distribution(IntArrayRef batch_shape, IntArrayRef event_shape);
  // sample_shape + batch_shape + event_shape.
  Shape extended_shape(IntArrayRef sample_shape) const;
  virtual Tensor sample_with(IntArrayRef sample_shape, Generator& gen) const;  // default: rsample without grad
  virtual Tensor rsample_with(IntArrayRef sample_shape, Generator& gen) const;  // default: raises
  // check_sample(value) while validation is on (torch's _validate_sample).
  void validate_sample(const Tensor& value) const {
    if (validate_args_) check_sample(value);
  }
  // Raises unless `value` satisfies `constraint` (a parameter check at construction).
  void check_param(const char* param, const Tensor& value, const Constraint& constraint) const;
  // Raises "<Class>: <method> is not implemented", as torch's NotImplementedError.
  [[noreturn]] void not_implemented(const char* method) const;
  void set_shapes(IntArrayRef batch_shape, IntArrayRef event_shape);
  // Broadcasts the parameters into `into` (torch's broadcast_all) and sets
  // the batch shape to theirs (no event dims).
  void set_params(std::initializer_list<Param> params, std::initializer_list<Tensor*> into);

  // A parameter tensor held in the batch shape, with `event_dims` dims of its own after it.
  struct ParamSlot {
    const char* name;
    Tensor* value;
    int64_t event_dims;
  };
  // The parameters, for expand and repr (torch's arg_constraints' keys).
  virtual std::vector<ParamSlot> slots() { return {}; }
  // Expands every slot to batch_shape (torch's expand: views, no checks).
  virtual void expand_params(IntArrayRef batch_shape);

  std::vector<int64_t> batch_shape_, event_shape_;
  bool validate_args_;
};

// The boilerplate each class shares: clone and expand_shared from its own
// copy constructor and expand. `Base` is Distribution or a family it
// specialises (Chi2 is a Gamma).
template <class Derived, class Base = Distribution>
class Family : public Base {
 public:
  using Base::Base;
  // The same distribution over a larger batch (parameters are expanded views).
  Derived expand(IntArrayRef batch_shape) const {
    Derived d = static_cast<const Derived&>(*this);
    static_cast<Family&>(d).expand_params(batch_shape);  // virtual: the class's own rule
    return d;
  }
  std::shared_ptr<Distribution> clone() const override {
    return std::make_shared<Derived>(static_cast<const Derived&>(*this));
  }
  std::shared_ptr<Distribution> expand_shared(IntArrayRef batch_shape) const override {
    return std::make_shared<Derived>(static_cast<const Derived&>(*this).expand(batch_shape));
  }
};

}  // namespace kiln::distributions
