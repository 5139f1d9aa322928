#include <atomic>
#include <sstream>

#include "common.h"

namespace kiln::distributions {
namespace {

std::atomic<bool>& default_validation() {
  static std::atomic<bool> on{true};  // torch validates by default since 1.8
  return on;
}

// The first entry of `value` where `valid` is false, as text.
std::string first_invalid(const Tensor& value, const Tensor& valid) {
  Tensor v = value.detach();
  Tensor ok = valid;
  if (ok.sizes() != v.sizes()) {
    // An event-level check (simplex, one-hot...): show the first bad event.
    int64_t batch_dims = ok.dim();
    Tensor flat_ok = ok.reshape({-1});
    Tensor bad = nonzero(flat_ok.logical_not());
    if (bad.numel() == 0) return "";
    Tensor events = v.reshape(detail::concat({-1}, detail::slice(v.sizes(), batch_dims, v.dim())));
    return kiln::detail::concat(events[bad[0][0].item<int64_t>()]);
  }
  Tensor bad = nonzero(ok.reshape({-1}).logical_not());
  if (bad.numel() == 0) return "";
  return detail::format_number(v.reshape({-1})[bad[0][0].item<int64_t>()].item<double>());
}

}  // namespace

Distribution::Distribution(IntArrayRef batch_shape, IntArrayRef event_shape)
    : batch_shape_(batch_shape.vec()), event_shape_(event_shape.vec()), validate_args_(default_validate_args()) {}

void Distribution::set_default_validate_args(bool value) { default_validation() = value; }
bool Distribution::default_validate_args() { return default_validation(); }

void Distribution::set_shapes(IntArrayRef batch_shape, IntArrayRef event_shape) {
  batch_shape_ = batch_shape.vec();
  event_shape_ = event_shape.vec();
}

void Distribution::set_params(std::initializer_list<Param> params, std::initializer_list<Tensor*> into) {
  std::vector<Tensor> p = detail::broadcast_all(params, name().c_str());
  auto slot = into.begin();
  for (Tensor& t : p) **slot++ = std::move(t);
  set_shapes((*into.begin())->sizes(), {});
}

Shape Distribution::extended_shape(IntArrayRef sample_shape) const {
  Shape s(sample_shape.begin(), sample_shape.size());
  for (int64_t d : batch_shape_) s.push_back(d);
  for (int64_t d : event_shape_) s.push_back(d);
  return s;
}

Tensor Distribution::sample(IntArrayRef sample_shape) const { return sample(sample_shape, default_generator()); }
Tensor Distribution::sample(IntArrayRef sample_shape, Generator& gen) const {
  NoGradGuard no_grad;
  return sample_with(sample_shape, gen);
}
Tensor Distribution::rsample(IntArrayRef sample_shape) const { return rsample(sample_shape, default_generator()); }
Tensor Distribution::rsample(IntArrayRef sample_shape, Generator& gen) const {
  return rsample_with(sample_shape, gen);
}

Tensor Distribution::sample_with(IntArrayRef sample_shape, Generator& gen) const {
  return rsample_with(sample_shape, gen).detach();
}
Tensor Distribution::rsample_with(IntArrayRef, Generator&) const { not_implemented("rsample"); }

Tensor Distribution::cdf(const Tensor&) const { not_implemented("cdf"); }
Tensor Distribution::icdf(const Tensor&) const { not_implemented("icdf"); }
Tensor Distribution::entropy() const { not_implemented("entropy"); }
Tensor Distribution::mean() const { not_implemented("mean"); }
Tensor Distribution::mode() const { not_implemented("mode"); }
Tensor Distribution::variance() const { not_implemented("variance"); }
Tensor Distribution::enumerate_support(bool) const { not_implemented("enumerate_support"); }

void Distribution::not_implemented(const char* method) const {
  kiln::detail::fail(name() + ": " + method + " is not implemented for this distribution");
}

void Distribution::expand_params(IntArrayRef batch_shape) {
  for (const ParamSlot& slot : slots()) {
    const Tensor& t = *slot.value;
    std::vector<int64_t> shape = detail::concat(batch_shape, detail::slice(t.sizes(), t.dim() - slot.event_dims, t.dim()));
    try {
      *slot.value = t.expand(shape);
    } catch (const Error&) {
      kiln::detail::fail(kiln::detail::concat(name(), ".expand: parameter ", slot.name, " of shape ", t.sizes(),
                                              " cannot be expanded to batch shape ", batch_shape));
    }
  }
  batch_shape_ = batch_shape.vec();
}

std::string Distribution::repr() const {
  std::string args;
  for (const ParamSlot& slot : const_cast<Distribution*>(this)->slots()) {
    if (*slot.name == '\0') continue;  // a parameter derived from the given one
    const Tensor& t = *slot.value;
    args += (args.empty() ? "" : ", ") + std::string(slot.name) + ": " +
            (t.numel() == 1 ? detail::format_number(t.item<double>()) : kiln::detail::concat("shape ", t.sizes()));
  }
  return name() + "(" + args + ")";
}

void Distribution::check_param(const char* param, const Tensor& value, const Constraint& constraint) const {
  if (!validate_args_) return;
  Tensor valid = constraint.check(value);
  if (valid.all().item<bool>()) return;
  kiln::detail::fail(kiln::detail::concat(name(), ": expected parameter ", param, " (Tensor of shape ", value.sizes(),
                                          ") of distribution ", repr(), " to satisfy the constraint ", constraint.name,
                                          ", but found invalid values: ", first_invalid(value, valid)));
}

void Distribution::check_sample(const Tensor& value) const {
  KILN_CHECK(value.defined(), name(), ": the value argument to log_prob must be a defined tensor");
  int64_t event_dims = static_cast<int64_t>(event_shape_.size());
  int64_t start = value.dim() - event_dims;
  KILN_CHECK(start >= 0 && detail::slice(value.sizes(), start, value.dim()) == event_shape_, name(),
             ": the right-most size of value must match event_shape: ", value.sizes(), " vs ",
             IntArrayRef(event_shape_));
  std::vector<int64_t> expected = detail::concat(batch_shape_, event_shape_);
  for (int64_t i = value.dim() - 1, j = static_cast<int64_t>(expected.size()) - 1; i >= 0 && j >= 0; --i, --j) {
    int64_t a = value.size(i), b = expected[j];
    KILN_CHECK(a == 1 || b == 1 || a == b, name(), ": value is not broadcastable with batch_shape+event_shape: ",
               value.sizes(), " vs ", IntArrayRef(expected));
  }
  Constraint support = this->support();
  Tensor valid = support.check(value);
  if (valid.all().item<bool>()) return;
  kiln::detail::fail(kiln::detail::concat(name(), ": expected value argument (Tensor of shape ", value.sizes(),
                                          ") to be within the support (", support.name, ") of the distribution ",
                                          repr(), ", but found invalid values: ", first_invalid(value, valid)));
}

}  // namespace kiln::distributions
