#include "common.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace kiln::distributions::detail {

Tensor as_tensor(const Param& p, ScalarType number_dtype) {
  return p.is_number() ? scalar_tensor(p.number(), dtype(number_dtype)) : p.tensor();
}

std::vector<Tensor> broadcast_all(std::initializer_list<Param> params, const char* who) {
  ScalarType number_dtype = get_default_dtype();
  for (const Param& p : params) {
    if (!p.is_number()) {
      KILN_CHECK(p.tensor().defined(), who, ": a parameter is an undefined tensor");
      number_dtype = p.tensor().dtype();
      break;
    }
  }
  std::vector<Tensor> out;
  out.reserve(params.size());
  for (const Param& p : params) out.push_back(as_tensor(p, number_dtype));
  Shape shape;
  for (const Tensor& t : out) {
    try {
      shape = broadcast_shapes(shape, t.sizes());
    } catch (const Error&) {
      std::string shapes;
      for (const Tensor& u : out) shapes += kiln::detail::concat(shapes.empty() ? "" : ", ", u.sizes());
      kiln::detail::fail(kiln::detail::concat(who, ": parameters of shapes ", shapes, " do not broadcast"));
    }
  }
  for (Tensor& t : out)
    if (t.sizes() != IntArrayRef(shape)) t = t.expand(shape);
  return out;
}


bool without_graph(std::initializer_list<const Tensor*> tensors) {
  if (!GradMode::is_enabled()) return true;
  for (const Tensor* t : tensors)
    if (t->requires_grad()) return false;
  return true;
}

Tensor standard_normal(IntArrayRef shape, ScalarType dt, Generator& gen) {
  return drawn_from(gen, [&] { return randn(shape, dtype(dt)); });
}

Tensor standard_uniform(IntArrayRef shape, ScalarType dt, Generator& gen) {
  return drawn_from(gen, [&] { return rand(shape, dtype(dt)); });
}

Tensor uniform(IntArrayRef shape, ScalarType dt, double lo, double hi, Generator& gen) {
  Tensor u = standard_uniform(shape, dt, gen);
  return u.mul_(hi - lo).add_(lo);
}

double eps(ScalarType dt) {
  return dt == kFloat64 ? std::numeric_limits<double>::epsilon() : std::numeric_limits<float>::epsilon();
}
double tiny(ScalarType dt) {
  return dt == kFloat64 ? std::numeric_limits<double>::min() : std::numeric_limits<float>::min();
}
double lowest(ScalarType dt) {
  return dt == kFloat64 ? std::numeric_limits<double>::lowest() : std::numeric_limits<float>::lowest();
}

Tensor clamp_probs(const Tensor& probs) {
  double e = eps(probs.dtype());
  return probs.clamp(e, 1 - e);
}

Tensor probs_to_logits(const Tensor& probs, bool is_binary) {
  Tensor p = clamp_probs(probs);
  return is_binary ? p.log() - (-p).log1p() : p.log();
}

Tensor logits_to_probs(const Tensor& logits, bool is_binary) {
  return is_binary ? logits.sigmoid() : softmax(logits, -1);
}

Tensor bce_with_logits(const Tensor& logits, const Tensor& target) {
  return softplus(logits) - logits * target;  // smooth at 0, unlike max(l, 0) + log1p(exp(-|l|))
}

Tensor binomial_log_prob(const Tensor& n, const Tensor& logits, const Tensor& k) {
  Tensor normalizer = n * softplus(logits) - (n + 1).lgamma();
  return k * logits - (k + 1).lgamma() - (n - k + 1).lgamma() - normalizer;
}

std::vector<int64_t> vec(IntArrayRef shape) { return shape.vec(); }

std::vector<int64_t> slice(IntArrayRef shape, int64_t begin, int64_t end) {
  return {shape.begin() + begin, shape.begin() + end};
}

std::vector<int64_t> concat(IntArrayRef a, IntArrayRef b) {
  std::vector<int64_t> out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

int64_t numel_of(IntArrayRef shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {  // the shortest text that reads back
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

}  // namespace kiln::distributions::detail
