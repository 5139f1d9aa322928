// multinomial(probs, num_samples, replacement): category indices drawn from
// each row of (unnormalised) probabilities.
//   with replacement: one stream value per sample, through Walker's alias
//   table (Vose's construction, O(categories)) when there are many samples:
//   O(1) per draw, a column and a coin; few samples search the CDF instead;
//   without: the exponential-race trick (a category's key is p / E with
//   E ~ Exp(1); the k largest keys are an ordered sample without
//   replacement), one stream value per category.
// Rows own disjoint blocks of the stream, so rows can go to any thread.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/tensor_impl.h"
#include "core/dispatch.h"
#include "kiln/functions.h"
#include "random/stream.h"

namespace kiln {
namespace {

constexpr int64_t kMaxCategories = int64_t{1} << 24;  // as torch

// Row r's samples, drawn from stream positions [r * k, r * k + k) of `block`.
// Walker's alias table: column c keeps itself with probability keep[c], else
// gives alias[c]; every column is drawn with probability 1 / categories.
template <class T>
void sample_by_alias(const T* p, int64_t categories, int64_t* out, int64_t num_samples,
                     const random::StreamBlock& block, uint64_t first) {
  const auto k = static_cast<size_t>(categories);
  std::vector<double> keep(k);
  std::vector<int64_t> alias(k), small, large;
  double total = 0;
  int64_t last_positive = 0;
  for (size_t c = 0; c < k; ++c) {
    total += static_cast<double>(p[c]);
    if (p[c] > 0) last_positive = static_cast<int64_t>(c);
  }
  for (size_t c = 0; c < k; ++c) {
    keep[c] = static_cast<double>(p[c]) * static_cast<double>(categories) / total;
    alias[c] = static_cast<int64_t>(c);
    (keep[c] < 1 ? small : large).push_back(static_cast<int64_t>(c));
  }
  while (!small.empty() && !large.empty()) {
    int64_t s = small.back(), l = large.back();
    small.pop_back();
    alias[s] = l;
    keep[l] -= 1 - keep[s];
    if (keep[l] < 1) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers hold mass 1 up to rounding, except zero-mass ones, which never keep.
  for (int64_t c : large) keep[c] = 1;
  for (int64_t c : small) {
    keep[c] = p[c] > 0 ? 1 : 0;
    if (p[c] <= 0) alias[c] = last_positive;
  }
  for (int64_t s = 0; s < num_samples; ++s) {
    auto b = block.bits(first + static_cast<uint64_t>(s));
    auto c = static_cast<int64_t>(random::below(random::bits64(b[0], b[1]), k));
    out[s] = random::uniform_double(b[2], b[3]) < keep[c] ? c : alias[c];
  }
}

template <class T>
void sample_by_search(const T* p, int64_t categories, int64_t* out, int64_t num_samples,
                      const random::StreamBlock& block, uint64_t first) {
  std::vector<double> cdf(static_cast<size_t>(categories));
  double total = 0;
  int64_t last_positive = 0;
  for (int64_t c = 0; c < categories; ++c) {
    total += static_cast<double>(p[c]);
    cdf[c] = total;
    if (p[c] > 0) last_positive = c;
  }
  for (int64_t s = 0; s < num_samples; ++s) {
    auto b = block.bits(first + static_cast<uint64_t>(s));
    double u = random::uniform_double(b[0], b[1]) * total;
    // The first category whose cumulative mass passes u (zero-mass ones never do).
    auto c = static_cast<int64_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
    out[s] = std::min(c, last_positive);  // u rounded up to total: the last real category
  }
}

template <class T>
void sample_without_replacement(const T* p, int64_t categories, int64_t* out, int64_t num_samples,
                                const random::StreamBlock& block, uint64_t first) {
  std::vector<double> key(static_cast<size_t>(categories));
  for (int64_t c = 0; c < categories; ++c) {
    auto b = block.bits(first + static_cast<uint64_t>(c));
    double e = -std::log1p(-random::uniform_double(b[0], b[1]));  // Exp(1), may be 0 -> key inf
    // Zero-mass categories come last (torch too), in index order.
    key[c] = p[c] > 0 ? static_cast<double>(p[c]) / e : -1.0;
  }
  std::vector<int64_t> order(static_cast<size_t>(categories));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::partial_sort(order.begin(), order.begin() + num_samples, order.end(), [&](int64_t a, int64_t b) {
    return key[a] != key[b] ? key[a] > key[b] : a < b;
  });
  std::copy(order.begin(), order.begin() + num_samples, out);
}

}  // namespace

Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement, Generator* generator) {
  KILN_CHECK(probs.dim() == 1 || probs.dim() == 2, "multinomial: prob_dist must be 1 or 2 dim, got shape ",
             probs.sizes());
  KILN_CHECK(is_floating_point(probs.dtype()), "multinomial: only supports floating-point dtypes for input, got ",
             probs.dtype());
  KILN_CHECK(num_samples > 0, "multinomial: cannot sample n_sample <= 0 samples (num_samples = ", num_samples, ")");
  int64_t categories = probs.size(-1);
  int64_t rows = probs.dim() == 2 ? probs.size(0) : 1;
  KILN_CHECK(replacement || num_samples <= categories,
             "multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement (num_samples = ",
             num_samples, ", categories = ", categories, ")");
  KILN_CHECK(categories > 0 || rows == 0, "multinomial: prob_dist has no categories, shape ", probs.sizes());
  KILN_CHECK(categories <= kMaxCategories, "multinomial: number of categories cannot exceed 2^24, got ", categories);

  Shape out_shape = probs.dim() == 2 ? Shape{rows, num_samples} : Shape{num_samples};
  Tensor out = core::empty(out_shape, kInt64);
  core::dispatch_floating(probs.dtype(), "multinomial", [&](auto tag) {
    using T = typename decltype(tag)::type;
    Tensor p = probs.detach().contiguous();
    const T* pp = p.data_ptr<T>();
    // Validate every row before sampling, so no error is raised inside a parallel region.
    for (int64_t r = 0; r < rows; ++r) {
      double total = 0;
      for (int64_t c = 0; c < categories; ++c) {
        T v = pp[r * categories + c];
        KILN_CHECK(std::isfinite(v) && v >= 0,
                   "multinomial: probability tensor contains either `inf`, `nan` or element < 0 (row ", r, ")");
        total += static_cast<double>(v);
      }
      KILN_CHECK(total > 0, "multinomial: invalid multinomial distribution (sum of probabilities <= 0) (row ", r, ")");
    }
    int64_t per_row = replacement ? num_samples : categories;  // stream values per row
    random::StreamBlock block =
        random::claim(static_cast<uint64_t>(rows * per_row), random::generator_or_default(generator));
    int64_t* o = out.data_ptr<int64_t>();
    int64_t grain = std::max<int64_t>(1, random::kRandomGrainSize / std::max(per_row, int64_t{1}));
    kernels::parallel_for(rows, grain, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const T* row = pp + r * categories;
        auto first = static_cast<uint64_t>(r * per_row);
        // The table costs a few passes over the row: worth it once the draws outnumber the categories.
        if (replacement && num_samples >= categories)
          sample_by_alias(row, categories, o + r * num_samples, num_samples, block, first);
        else if (replacement)
          sample_by_search(row, categories, o + r * num_samples, num_samples, block, first);
        else sample_without_replacement(row, categories, o + r * num_samples, num_samples, block, first);
      }
    });
  });
  return out;
}

}  // namespace kiln
