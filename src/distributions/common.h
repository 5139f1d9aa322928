// What the families share inside the module: parameter broadcasting, the
// standard draws every sampler starts from, dtype limits and probability
// conversions (torch.distributions.utils).
#pragma once
#include <initializer_list>
#include <string>
#include <vector>

#include "kiln/autograd.h"
#include "kiln/distributions.h"

namespace kiln::distributions::detail {

// The parameters as tensors of one broadcast shape (views). Numbers take the
// dtype of the first tensor parameter, else the default dtype; tensors keep
// their dtype (torch's broadcast_all). `who` names the class in errors.
std::vector<Tensor> broadcast_all(std::initializer_list<Param> params, const char* who);
// One parameter as a tensor, by the same rule (its own dtype or the default).
Tensor as_tensor(const Param& p, ScalarType number_dtype);

// Runs `draw` with the default generator standing in for `gen`: kiln's
// samplers read the default generator, so its state is swapped for gen's
// and back (not safe against a concurrent draw from the default generator).
template <class F>
Tensor drawn_from(Generator& gen, F&& draw) {
  Generator& def = default_generator();
  if (&gen == &def) return draw();
  struct Swap {
    Generator &def, &gen;
    uint64_t seed, offset;
    Swap(Generator& d, Generator& g) : def(d), gen(g), seed(d.current_seed()), offset(d.get_offset()) {
      def.set_current_seed(gen.current_seed());
      def.set_offset(gen.get_offset());
    }
    ~Swap() {
      gen.set_offset(def.get_offset());
      def.set_current_seed(seed);
      def.set_offset(offset);
    }
  } swap(def, gen);
  return draw();
}

// Whether a result built from `tensors` can skip the graph (grad mode off or
// no input requires grad): then it may be computed in place, in one buffer.
bool without_graph(std::initializer_list<const Tensor*> tensors);

// Standard normal and uniform [0, 1) draws of `shape` from `gen`'s Philox stream.
Tensor standard_normal(IntArrayRef shape, ScalarType dtype, Generator& gen);
Tensor standard_uniform(IntArrayRef shape, ScalarType dtype, Generator& gen);
// Uniform on [lo, hi) (torch's uniform_(lo, hi)).
Tensor uniform(IntArrayRef shape, ScalarType dtype, double lo, double hi, Generator& gen);

// torch.finfo(dtype).eps / .tiny / .min / .max.
double eps(ScalarType dtype);
double tiny(ScalarType dtype);
double lowest(ScalarType dtype);

// p clamped to [eps, 1 - eps].
Tensor clamp_probs(const Tensor& probs);
// log-odds (binary) or log-probabilities (categorical) of probabilities, and back.
Tensor probs_to_logits(const Tensor& probs, bool is_binary);
Tensor logits_to_probs(const Tensor& logits, bool is_binary);

// -(target log σ(l) + (1 - target) log σ(-l)), stably (torch's
// binary_cross_entropy_with_logits without reduction).
Tensor bce_with_logits(const Tensor& logits, const Tensor& target);

// log C(n, k) p^k (1-p)^(n-k) from the log-odds of p (torch's Binomial.log_prob).
Tensor binomial_log_prob(const Tensor& total_count, const Tensor& logits, const Tensor& k);

// The shape as a vector, and sizes[begin, end).
std::vector<int64_t> vec(IntArrayRef shape);
std::vector<int64_t> slice(IntArrayRef shape, int64_t begin, int64_t end);
std::vector<int64_t> concat(IntArrayRef a, IntArrayRef b);
int64_t numel_of(IntArrayRef shape);

// A number formatted as torch prints Python floats ("0.0", "1.5").
std::string format_number(double v);

}  // namespace kiln::distributions::detail

namespace kiln::distributions::constraints {

Constraint real();
Constraint positive();
Constraint nonnegative();
Constraint unit_interval();
Constraint boolean();
Constraint nonnegative_integer();
Constraint greater_than(double lower_bound);
// lower <= x <= upper for tensor bounds (Uniform's support).
Constraint interval(const Tensor& lower, const Tensor& upper);
Constraint integer_interval(double lower, const Tensor& upper);
Constraint simplex();
Constraint one_hot();
Constraint multinomial(int64_t upper_bound);
Constraint lower_cholesky();
Constraint positive_definite();
// `base` over `reinterpreted` more trailing dims (independent(real, 1) is real_vector).
Constraint independent(const Constraint& base, int64_t reinterpreted);
inline Constraint real_vector() { return independent(real(), 1); }

}  // namespace kiln::distributions::constraints
