// The transforms: each a forward map, its inverse, log |dy/dx|, and the sets
// it maps between.
#include <cmath>
#include <numbers>

#include "common.h"

namespace kiln::distributions {

struct TransformImpl {
  virtual ~TransformImpl() = default;
  virtual std::string repr() const = 0;
  virtual Tensor forward(const Tensor& x) const = 0;
  virtual Tensor inverse(const Tensor& y) const = 0;
  virtual Tensor log_abs_det_jacobian(const Tensor& x, const Tensor& y) const = 0;
  virtual Tensor sign() const { return scalar_tensor(1.0); }
  virtual Constraint domain() const { return constraints::real(); }
  virtual Constraint codomain() const = 0;
  virtual int64_t event_dim() const { return 0; }
  virtual Shape forward_shape(IntArrayRef shape) const { return Shape(shape.begin(), shape.size()); }
  virtual Shape inverse_shape(IntArrayRef shape) const { return Shape(shape.begin(), shape.size()); }
  // Same kind and, for parameterised ones, equal parameters.
  virtual bool equals(const TransformImpl& other) const { return repr() == other.repr(); }
};

namespace {

struct Exp final : TransformImpl {
  std::string repr() const override { return "ExpTransform()"; }
  Tensor forward(const Tensor& x) const override { return x.exp(); }
  Tensor inverse(const Tensor& y) const override { return y.log(); }
  Tensor log_abs_det_jacobian(const Tensor& x, const Tensor&) const override { return x; }
  Constraint codomain() const override { return constraints::positive(); }
};

struct Sigmoid final : TransformImpl {
  std::string repr() const override { return "SigmoidTransform()"; }
  Tensor forward(const Tensor& x) const override {
    ScalarType dt = x.dtype();
    return x.sigmoid().clamp(detail::tiny(dt), 1 - detail::eps(dt));
  }
  Tensor inverse(const Tensor& y) const override {
    ScalarType dt = y.dtype();
    Tensor c = y.clamp(detail::tiny(dt), 1 - detail::eps(dt));
    return c.log() - (-c).log1p();
  }
  Tensor log_abs_det_jacobian(const Tensor& x, const Tensor&) const override {
    return -softplus(-x) - softplus(x);
  }
  Constraint codomain() const override { return constraints::unit_interval(); }
};

struct Tanh final : TransformImpl {
  std::string repr() const override { return "TanhTransform()"; }
  Tensor forward(const Tensor& x) const override { return x.tanh(); }
  Tensor inverse(const Tensor& y) const override { return 0.5 * (y.log1p() - (-y).log1p()); }
  // log(1 - tanh²x) = 2 (log 2 - x - softplus(-2x)), stable for large |x|.
  Tensor log_abs_det_jacobian(const Tensor& x, const Tensor&) const override {
    return 2. * (std::numbers::ln2 - x - softplus(-2. * x));
  }
  Constraint codomain() const override {
    return {"Interval(lower_bound=-1.0, upper_bound=1.0)",
            [](const Tensor& y) { return y.ge(-1).logical_and(y.le(1)); }};
  }
};

struct Softplus final : TransformImpl {
  std::string repr() const override { return "SoftplusTransform()"; }
  Tensor forward(const Tensor& x) const override { return softplus(x); }
  Tensor inverse(const Tensor& y) const override { return (-(-y).expm1()).log() + y; }
  Tensor log_abs_det_jacobian(const Tensor& x, const Tensor&) const override { return -softplus(-x); }
  Constraint codomain() const override { return constraints::positive(); }
};

struct Abs final : TransformImpl {
  std::string repr() const override { return "AbsTransform()"; }
  Tensor forward(const Tensor& x) const override { return x.abs(); }
  Tensor inverse(const Tensor& y) const override { return y; }
  Tensor log_abs_det_jacobian(const Tensor&, const Tensor&) const override {
    kiln::detail::fail("AbsTransform: log_abs_det_jacobian is not defined (the map is not injective)");
  }
  Constraint codomain() const override { return constraints::positive(); }
};

struct Power final : TransformImpl {
  Tensor exponent;
  explicit Power(Tensor e) : exponent(std::move(e)) {}
  std::string repr() const override { return "PowerTransform(exponent=" + detail::format_number(exponent.numel() == 1 ? exponent.item<double>() : NAN) + ")"; }
  Tensor forward(const Tensor& x) const override { return x.pow(exponent); }
  Tensor inverse(const Tensor& y) const override { return y.pow(exponent.reciprocal()); }
  Tensor log_abs_det_jacobian(const Tensor& x, const Tensor& y) const override {
    return (exponent * y / x).abs().log();
  }
  Tensor sign() const override { return exponent.sign(); }
  Constraint domain() const override { return constraints::positive(); }
  Constraint codomain() const override { return constraints::positive(); }
  Shape forward_shape(IntArrayRef shape) const override { return broadcast_shapes(shape, exponent.sizes()); }
  Shape inverse_shape(IntArrayRef shape) const override { return broadcast_shapes(shape, exponent.sizes()); }
  bool equals(const TransformImpl& other) const override {
    auto* o = dynamic_cast<const Power*>(&other);
    return o && kiln::equal(exponent, o->exponent);
  }
};

struct Affine final : TransformImpl {
  Tensor loc, scale;
  int64_t dims;
  Affine(Tensor l, Tensor s, int64_t d) : loc(std::move(l)), scale(std::move(s)), dims(d) {}
  std::string repr() const override { return "AffineTransform()"; }
  Tensor forward(const Tensor& x) const override { return loc + scale * x; }
  Tensor inverse(const Tensor& y) const override { return (y - loc) / scale; }
  Tensor log_abs_det_jacobian(const Tensor& x, const Tensor&) const override {
    Tensor r = scale.abs().log();
    r = r.to(result_type(x, r)).expand(broadcast_shapes(x.sizes(), r.sizes()));
    if (dims > 0) r = r.flatten(r.dim() - dims).sum({-1});
    return r;
  }
  Tensor sign() const override { return scale.sign(); }
  Constraint domain() const override { return dims ? constraints::independent(constraints::real(), dims) : constraints::real(); }
  Constraint codomain() const override { return domain(); }
  int64_t event_dim() const override { return dims; }
  Shape forward_shape(IntArrayRef shape) const override {
    return broadcast_shapes(broadcast_shapes(shape, loc.sizes()), scale.sizes());
  }
  Shape inverse_shape(IntArrayRef shape) const override { return forward_shape(shape); }
  bool equals(const TransformImpl& other) const override {
    auto* o = dynamic_cast<const Affine*>(&other);
    auto same = [](const Tensor& a, const Tensor& b) {
      return a.sizes() == b.sizes() ? a.eq(b).all().item<bool>() : false;
    };
    return o && dims == o->dims && same(loc, o->loc) && same(scale, o->scale);
  }
};

// t.inv(): the same map run backwards.
struct Inverse final : TransformImpl {
  std::shared_ptr<const TransformImpl> t;
  explicit Inverse(std::shared_ptr<const TransformImpl> f) : t(std::move(f)) {}
  std::string repr() const override { return "_InverseTransform(" + t->repr() + ")"; }
  Tensor forward(const Tensor& x) const override { return t->inverse(x); }
  Tensor inverse(const Tensor& y) const override { return t->forward(y); }
  Tensor log_abs_det_jacobian(const Tensor& x, const Tensor& y) const override {
    return -t->log_abs_det_jacobian(y, x);
  }
  Tensor sign() const override { return t->sign(); }
  Constraint domain() const override { return t->codomain(); }
  Constraint codomain() const override { return t->domain(); }
  int64_t event_dim() const override { return t->event_dim(); }
  Shape forward_shape(IntArrayRef shape) const override { return t->inverse_shape(shape); }
  Shape inverse_shape(IntArrayRef shape) const override { return t->forward_shape(shape); }
  bool equals(const TransformImpl& other) const override {
    auto* o = dynamic_cast<const Inverse*>(&other);
    return o && t->equals(*o->t);
  }
};

}  // namespace

Tensor Transform::operator()(const Tensor& x) const { return impl_->forward(x); }
Tensor Transform::inv(const Tensor& y) const { return impl_->inverse(y); }
Tensor Transform::log_abs_det_jacobian(const Tensor& x, const Tensor& y) const {
  return impl_->log_abs_det_jacobian(x, y);
}
Transform Transform::inv() const { return Transform(std::make_shared<Inverse>(impl_)); }
Tensor Transform::sign() const { return impl_->sign(); }
Constraint Transform::domain() const { return impl_->domain(); }
Constraint Transform::codomain() const { return impl_->codomain(); }
int64_t Transform::event_dim() const { return impl_->event_dim(); }
Shape Transform::forward_shape(IntArrayRef shape) const { return impl_->forward_shape(shape); }
Shape Transform::inverse_shape(IntArrayRef shape) const { return impl_->inverse_shape(shape); }
std::string Transform::repr() const { return impl_->repr(); }
bool Transform::operator==(const Transform& other) const {
  return impl_ == other.impl_ || impl_->equals(*other.impl_);
}

ExpTransform::ExpTransform() : Transform(std::make_shared<Exp>()) {}
SigmoidTransform::SigmoidTransform() : Transform(std::make_shared<Sigmoid>()) {}
TanhTransform::TanhTransform() : Transform(std::make_shared<Tanh>()) {}
SoftplusTransform::SoftplusTransform() : Transform(std::make_shared<Softplus>()) {}
AbsTransform::AbsTransform() : Transform(std::make_shared<Abs>()) {}
// Numbers are kept as float64 0-d tensors: exact as Python floats, and a
// 0-d operand does not change a tensor's dtype.
PowerTransform::PowerTransform(Param exponent) : Transform(std::make_shared<Power>(detail::as_tensor(exponent, kFloat64))) {}
AffineTransform::AffineTransform(Param loc, Param scale, int64_t event_dim)
    : Transform(std::make_shared<Affine>(detail::as_tensor(loc, kFloat64), detail::as_tensor(scale, kFloat64), event_dim)) {
  KILN_CHECK(event_dim >= 0, "AffineTransform: event_dim must be non-negative, got ", event_dim);
}

}  // namespace kiln::distributions
