// The losses of nn::functional, each numerically stable at extreme inputs
// (log-sum-exp, log1p of a negative exponent).
#include <cmath>

#include "kiln/functions.h"
#include "kiln/nn/functional.h"

namespace kiln::nn::functional {
namespace {
Tensor reduce(const Tensor& loss, Reduction reduction) {
  switch (reduction.kind()) {
    case Reduction::None: return loss;
    case Reduction::Sum: return loss.sum();
    case Reduction::Mean: return loss.mean();
  }
  return loss;
}

// Element-wise losses broadcast input and target, as torch does (it warns
// when the sizes differ); shapes that do not broadcast are an error.
void check_broadcast(const char* loss, const Tensor& input, const Tensor& target) {
  KILN_CHECK(input.defined() && target.defined(), loss, ": input and target must be defined");
  bool ok = true;
  for (int64_t i = 1; ok && i <= std::min(input.dim(), target.dim()); ++i) {
    int64_t a = input.size(-i), b = target.size(-i);
    ok = a == b || a == 1 || b == 1;
  }
  KILN_CHECK(ok, loss, ": input of shape ", input.sizes(), " and target of shape ", target.sizes(),
             " do not match (nor broadcast)");
}
void check_same(const char* loss, const Tensor& input, const Tensor& target) {
  KILN_CHECK(input.defined() && target.defined(), loss, ": input and target must be defined");
  KILN_CHECK(input.sizes() == target.sizes(), loss, ": target of shape ", target.sizes(),
             " must be the same size as input of shape ", input.sizes());
}
}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossFuncOptions& options) {
  check_broadcast("mse_loss", input, target);
  Tensor d = input - target;
  return reduce(d * d, options.reduction());
}

Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossFuncOptions& options) {
  check_broadcast("l1_loss", input, target);
  return reduce(abs(input - target), options.reduction());
}

Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, const SmoothL1LossFuncOptions& options) {
  check_broadcast("smooth_l1_loss", input, target);
  double beta = options.beta().value_or(1.0);
  KILN_CHECK(beta >= 0, "smooth_l1_loss: beta must be non-negative, got ", beta);
  Tensor z = abs(input - target);
  if (beta == 0) return reduce(z, options.reduction());
  return reduce(where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta), options.reduction());
}

Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossFuncOptions& options) {
  check_broadcast("huber_loss", input, target);
  double delta = options.delta();
  KILN_CHECK(delta > 0, "huber_loss: delta must be positive, got ", delta);
  Tensor z = abs(input - target);
  return reduce(where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta)), options.reduction());
}

namespace {
// The class weight of each target (1 without weights), 0 where ignored.
struct Picked {
  Tensor safe_target;  // ignored entries point at class 0
  Tensor weight;       // per target
};

Picked pick(const char* loss, const Tensor& input, const Tensor& target, const Tensor& weight, int64_t ignore_index) {
  KILN_CHECK(input.defined() && target.defined(), loss, ": input and target must be defined");
  KILN_CHECK(target.dtype() == kInt64 || target.dtype() == kInt32, loss,
             ": expected a target of class indices (int64), got dtype ", target.dtype());
  KILN_CHECK(input.dim() >= 1, loss, ": input must have a class dimension, got shape ", input.sizes());
  int64_t class_dim = input.dim() == 1 ? 0 : 1;
  int64_t classes = input.size(class_dim);
  bool shapes_ok = target.dim() == input.dim() - 1;
  for (int64_t i = 0, j = 0; shapes_ok && i < input.dim(); ++i)
    if (i != class_dim) shapes_ok = input.size(i) == target.size(j++);
  KILN_CHECK(shapes_ok, loss, ": target of shape ", target.sizes(), " does not match input of shape ", input.sizes(),
             " (expected the input's shape without its class dimension ", class_dim, ")");
  Tensor t = target.to(kInt64);
  Tensor ignored = t == ignore_index;
  Tensor bad = logical_and(logical_not(ignored), logical_or(t < 0, t >= classes));
  if (bad.any().item<bool>()) {
    int64_t value = masked_select(t, bad)[0].item<int64_t>();
    KILN_CHECK(false, loss, ": target ", value, " is out of bounds for ", classes, " classes (input of shape ",
               input.sizes(), ")");
  }
  if (weight.defined())
    KILN_CHECK(weight.dim() == 1 && weight.size(0) == classes, loss, ": weight of shape ", weight.sizes(),
               " does not have one entry per class (", classes, ")");
  Tensor safe = t.masked_fill(ignored, 0);
  Tensor w = weight.defined() ? weight.index_select(0, safe.flatten()).reshape(safe.sizes())
                              : ones(safe.sizes(), input.dtype());
  return {safe, w.masked_fill(ignored, 0)};
}

// Per-class weights shaped to broadcast along input's class dimension.
Tensor class_view(const Tensor& weight, const Tensor& input) {
  if (input.dim() < 2) return weight;
  std::vector<int64_t> shape(static_cast<size_t>(input.dim()), 1);
  shape[1] = weight.size(0);
  return weight.reshape(shape);
}

Tensor nll_from_log_probs(const char* loss, const Tensor& log_probs, const Tensor& target, const Tensor& weight,
                          int64_t ignore_index, Reduction reduction, Picked* picked_out = nullptr) {
  Picked p = pick(loss, log_probs, target, weight, ignore_index);
  int64_t class_dim = log_probs.dim() == 1 ? 0 : 1;
  Tensor chosen = log_probs.gather(class_dim, p.safe_target.unsqueeze(class_dim)).squeeze(class_dim);
  Tensor out = -chosen * p.weight;
  if (picked_out) *picked_out = p;
  if (reduction.kind() == Reduction::Mean) return out.sum() / p.weight.sum();
  return reduce(out, reduction);
}
}  // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options) {
  return nll_from_log_probs("nll_loss", input, target, options.weight(), options.ignore_index(), options.reduction());
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyFuncOptions& options) {
  KILN_CHECK(input.defined() && target.defined(), "cross_entropy: input and target must be defined");
  double eps = options.label_smoothing();
  KILN_CHECK(eps >= 0 && eps <= 1, "cross_entropy: label_smoothing must be between 0.0 and 1.0, got ", eps);
  KILN_CHECK(input.dim() >= 1, "cross_entropy: input must have a class dimension, got shape ", input.sizes());
  int64_t class_dim = input.dim() == 1 ? 0 : 1;
  int64_t classes = input.size(class_dim);
  Tensor log_probs = kiln::log_softmax(input, class_dim);
  const Tensor& weight = options.weight();

  if (target.is_floating_point()) {  // class probabilities
    KILN_CHECK(target.sizes() == input.sizes(), "cross_entropy: probability target of shape ", target.sizes(),
               " must have the shape of input ", input.sizes());
    KILN_CHECK(!weight.defined() || (weight.dim() == 1 && weight.size(0) == classes), "cross_entropy: weight of shape ",
               weight.defined() ? weight.sizes() : IntArrayRef{}, " does not have one entry per class (", classes, ")");
    Tensor t = eps > 0 ? target * (1 - eps) + eps / static_cast<double>(classes) : target;
    Tensor terms = log_probs * t;
    if (weight.defined()) terms = terms * class_view(weight, input);
    Tensor out = -terms.sum({class_dim});
    if (options.reduction().kind() == Reduction::Mean)
      return out.sum() / static_cast<double>(classes ? input.numel() / classes : 0);
    return reduce(out, options.reduction());
  }

  Picked picked;
  Tensor nll = nll_from_log_probs("cross_entropy", log_probs, target, weight, options.ignore_index(),
                                  options.reduction(), &picked);
  if (eps == 0) return nll;
  // Label smoothing: the uniform part, each class weighted, ignored targets zero.
  Tensor weighted = weight.defined() ? log_probs * class_view(weight, input) : log_probs;
  Tensor smooth = -weighted.sum({class_dim}).masked_fill(target.to(kInt64) == options.ignore_index(), 0);
  Tensor reduced;
  switch (options.reduction().kind()) {
    case Reduction::None: reduced = smooth; break;
    case Reduction::Sum: reduced = smooth.sum(); break;
    case Reduction::Mean:
      reduced = smooth.sum() / (weight.defined() ? picked.weight.sum()
                                                 : (target.to(kInt64) != options.ignore_index()).sum());
      break;
  }
  return (1 - eps) * nll + reduced * (eps / static_cast<double>(classes));
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const BinaryCrossEntropyFuncOptions& options) {
  check_same("binary_cross_entropy", input, target);
  KILN_CHECK(logical_and(input >= 0, input <= 1).all().item<bool>(),
             "binary_cross_entropy: all elements of input should be between 0 and 1");
  // torch clamps each log at -100, so a certain wrong answer costs 100, not inf.
  Tensor loss = -(target * clamp_min(log(input), -100) + (1 - target) * clamp_min(log1p(-input), -100));
  if (options.weight().defined()) loss = loss * options.weight();
  return reduce(loss, options.reduction());
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BinaryCrossEntropyWithLogitsFuncOptions& options) {
  check_same("binary_cross_entropy_with_logits", input, target);
  // (1 - t) x + softplus(-x): no exp of a large number, and the gradient is sigmoid(x) - t exactly.
  Tensor neg_log_sigmoid = kiln::softplus(-input);
  Tensor loss = options.pos_weight().defined()
                    ? (1 - target) * input + ((options.pos_weight() - 1) * target + 1) * neg_log_sigmoid
                    : (1 - target) * input + neg_log_sigmoid;
  if (options.weight().defined()) loss = loss * options.weight();
  return reduce(loss, options.reduction());
}

}  // namespace kiln::nn::functional
