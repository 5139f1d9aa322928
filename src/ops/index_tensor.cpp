// t.index({...}) and t.index_put_({...}, v), as torch::indexing: integers,
// slices, None and Ellipsis become views (select/slice/unsqueeze, so they
// share storage and differentiate as views); tensor indices and bool masks
// then pick a copy through ops::advanced_index.
#include <algorithm>
#include <ostream>
#include <string_view>

#include "autograd/forward_grad.h"
#include "autograd/derivative.h"
#include "core/broadcast.h"
#include "kernels/elementwise.h"
#include "kernels/index.h"
#include "ops/advanced_index.h"
#include "ops/ops.h"
#include "kiln/warning.h"

namespace kiln {
namespace indexing {

namespace {
Tensor* copy_of(const Tensor& t) {
  KILN_CHECK(t.defined(), "TensorIndex: an undefined tensor cannot be used as an index");
  return new Tensor(t);
}
}  // namespace

TensorIndex::TensorIndex(const char* ellipsis) : kind_(Kind::Ellipsis) {
  KILN_CHECK(ellipsis && std::string_view(ellipsis) == "...",
             "TensorIndex: Expected \"...\" to represent an ellipsis index, but got \"", ellipsis ? ellipsis : "", "\"");
}
TensorIndex::TensorIndex(const Tensor& t) : kind_(Kind::Tensor), tensor_(copy_of(t)) {}
TensorIndex::TensorIndex(const TensorIndex& o)
    : kind_(o.kind_),
      integer_(o.integer_),
      boolean_(o.boolean_),
      slice_(o.slice_),
      tensor_(o.tensor_ ? new Tensor(*o.tensor_) : nullptr) {}
TensorIndex& TensorIndex::operator=(const TensorIndex& o) {
  if (this == &o) return *this;
  Tensor* t = o.tensor_ ? new Tensor(*o.tensor_) : nullptr;
  delete tensor_;
  kind_ = o.kind_;
  integer_ = o.integer_;
  boolean_ = o.boolean_;
  slice_ = o.slice_;
  tensor_ = t;
  return *this;
}
TensorIndex::~TensorIndex() { delete tensor_; }
const Tensor& TensorIndex::tensor() const {
  KILN_CHECK(tensor_, "TensorIndex: this index is not a tensor");
  return *tensor_;
}

std::ostream& operator<<(std::ostream& os, const Slice& slice) {
  return os << slice.start() << ":" << slice.stop() << ":" << slice.step();
}
std::ostream& operator<<(std::ostream& os, const TensorIndex& index) {
  switch (index.kind()) {
    case TensorIndex::Kind::None: return os << "None";
    case TensorIndex::Kind::Ellipsis: return os << "...";
    case TensorIndex::Kind::Integer: return os << index.integer();
    case TensorIndex::Kind::Boolean: return os << (index.boolean() ? "true" : "false");
    case TensorIndex::Kind::Slice: return os << index.slice();
    case TensorIndex::Kind::Tensor: return os << index.tensor();
  }
  return os;
}
std::ostream& operator<<(std::ostream& os, const std::vector<TensorIndex>& indices) {
  os << "(";
  for (size_t i = 0; i < indices.size(); ++i) os << (i ? ", " : "") << indices[i];
  return os << ")";
}

}  // namespace indexing

namespace {

using autograd::BackwardArgs;
using indexing::TensorIndex;
using Kind = TensorIndex::Kind;
namespace fw = autograd::forward;

// The basic part of an index applied as views, and the tensor indices left
// for advanced indexing (dims refer to `view`).
struct Sliced {
  Tensor view;
  std::vector<int64_t> dims;
  std::vector<Tensor> indices;
};

// uint8 indices are masks too, as in libtorch, which deprecates them.
bool is_mask(const Tensor& t) { return t.dtype() == kBool || t.dtype() == kUInt8; }

// The dims an index consumes: everything but None, Ellipsis and bools.
int64_t specified_dims(const std::vector<TensorIndex>& indices) {
  int64_t count = 0;
  for (const TensorIndex& i : indices) {
    if (i.kind() == Kind::Tensor)
      count += is_mask(i.tensor()) ? i.tensor().dim() : 1;
    else if (i.kind() == Kind::Integer || i.kind() == Kind::Slice)
      ++count;
  }
  return count;
}

// `scalars_select`: a 0-d integer tensor selects (t.index({...})), or stays an
// advanced index, whose result is a copy (libtorch's operator form).
Sliced apply_basic(const Tensor& self, const std::vector<TensorIndex>& indices, const char* op,
                   bool scalars_select = true) {
  KILN_CHECK(self.defined(), op, ": called on an undefined tensor");
  const int64_t specified = specified_dims(indices);
  KILN_CHECK(self.dim() > 0 || specified == 0, op, ": invalid index of a 0-dim tensor. Use `tensor.item<T>()` to "
             "convert a 0-dim tensor to a number");
  KILN_CHECK(specified <= self.dim(), op, ": too many indices for tensor of dimension ", self.dim(), " (got ",
             specified, " indexed dims)");
  Sliced s{self, {}, {}};
  int64_t dim = 0;
  bool seen_ellipsis = false;
  auto add_index = [&](const Tensor& t) {
    s.dims.push_back(dim++);
    s.indices.push_back(t);
  };
  // A bool adds a dim of size 1, indexed as if 0: (true) or empty (false).
  auto add_bool = [&](bool b) {
    s.view = s.view.unsqueeze(dim);
    add_index(b ? zeros({1}, kInt64) : empty({0}, kInt64));
  };
  auto select = [&](int64_t i, size_t position) {
    KILN_CHECK(s.view.dim() > 0, op, ": invalid index of a 0-dim tensor. Use `tensor.item<T>()` in C++ to convert a "
                                     "0-dim tensor to a number");
    int64_t n = s.view.size(dim);
    KILN_CHECK(i >= -n && i < n, op, ": index ", i, " is out of bounds for dimension ", position, " with size ", n);
    s.view = s.view.select(dim, i);
  };
  for (size_t p = 0; p < indices.size(); ++p) {
    const TensorIndex& index = indices[p];
    switch (index.kind()) {
      case Kind::Integer: select(index.integer(), p); break;
      case Kind::Slice: {
        const indexing::Slice& sl = index.slice();
        KILN_CHECK(sl.step() > 0, op, ": step must be greater than zero, got ", sl.step());
        s.view = s.view.slice(dim, sl.start(), sl.stop(), sl.step());
        ++dim;
        break;
      }
      case Kind::Ellipsis:
        KILN_CHECK(!seen_ellipsis, op, ": an index can only have a single ellipsis ('...')");
        seen_ellipsis = true;
        dim += self.dim() - specified;
        break;
      case Kind::None:
        s.view = s.view.unsqueeze(dim);
        ++dim;
        break;
      case Kind::Boolean: add_bool(index.boolean()); break;
      case Kind::Tensor: {
        const Tensor& t = index.tensor();
        if (t.dtype() == kUInt8)
          KILN_WARN("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.");
        if (t.dim() == 0 && is_mask(t)) {
          add_bool(t.item<bool>());
        } else if (t.dim() == 0 && scalars_select && is_integral(t.dtype(), false)) {  // acts as an int
          select(t.item<int64_t>(), p);
        } else if (is_mask(t)) {
          // A k-dim mask covers k dims: its non-zero coordinates index them.
          for (int64_t j = 0; j < t.dim(); ++j)
            KILN_CHECK(dim + j < s.view.dim() && t.size(j) == s.view.size(dim + j), op, ": The shape of the mask ",
                       t.sizes(), " at index ", j, " does not match the shape of the indexed tensor ", s.view.sizes(),
                       " at index ", dim + j);
          Tensor coords = kernels::nonzero(t);
          for (int64_t j = 0; j < t.dim(); ++j) add_index(coords.select(1, j));
        } else {
          KILN_CHECK(is_integral(t.dtype(), false), op,
                     ": tensors used as indices must be long, int or bool tensors, got ", t.dtype());
          add_index(t);
        }
        break;
      }
    }
  }
  return s;
}

ops::AdvancedIndex advanced_part(const Sliced& s, const char* op) {
  return ops::make_advanced_index(s.view.sizes(), s.dims, s.indices, op);
}

// libtorch drops a value's leading 1s before broadcasting it into the target.
Shape without_leading_ones(IntArrayRef sizes) {
  size_t first = 0;
  while (first < sizes.size() && sizes[first] == 1) ++first;
  return Shape(sizes.data() + first, sizes.size() - first);
}

// Writes (or with accumulate, adds) value into self at indices, without autograd.
void write_index(const Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value, bool accumulate) {
  NoGradGuard no_grad;
  Sliced s = apply_basic(self.detach(), indices, "index_put_");
  Tensor v = value.detach().view(without_leading_ones(value.sizes()));
  if (s.indices.empty()) {
    KILN_CHECK(core::is_expandable_to(v.sizes(), s.view.sizes()), "index_put_: shape mismatch: value tensor of shape ",
               value.sizes(), " cannot be broadcast to indexing result of shape ", s.view.sizes());
    kernels::copy(s.view, accumulate ? s.view + v : v);
    return;
  }
  KILN_CHECK(value.dtype() == self.dtype(),
             "index_put_: Index put requires the source and destination dtypes match, got ", self.dtype(),
             " for the destination and ", value.dtype(), " for the source.");
  Tensor offsets = ops::advanced_offsets(s.view.sizes(), s.view.strides(), advanced_part(s, "index_put_"));
  KILN_CHECK(core::is_expandable_to(v.sizes(), offsets.sizes()), "index_put_: shape mismatch: value tensor of shape ",
             value.sizes(), " cannot be broadcast to indexing result of shape ", offsets.sizes());
  kernels::put(s.view, offsets, v, accumulate);
}

// The out-of-place index_put (self with value written at indices), used when
// the in-place write must be recorded. Linear in (self, value); with
// accumulate, self's gradient passes through whole.
Tensor index_put(const Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value, bool accumulate) {
  Tensor r = self.detach().clone();
  write_index(r, indices, value, accumulate);
  return autograd::differentiable(
      std::move(r), {"IndexPutBackward0", {self, value}},
      [indices, accumulate, vsizes = Shape(value.sizes())](const BackwardArgs& a) -> autograd::Grads {
        const Tensor& g = a.grad();
        Tensor g_self, g_value;
        if (a.needs_grad(0)) g_self = accumulate ? g : index_put(g, indices, zeros({}, g.dtype()), false);
        if (a.needs_grad(1)) g_value = autograd::sum_to(g.index(indices), without_leading_ones(vsizes)).reshape(vsizes);
        return {g_self, g_value};
      },
      [indices, accumulate](const autograd::ForwardArgs& f) {
        return index_put(f.tangent_or_zeros(0), indices, f.tangent_or_zeros(1), accumulate);
      });
}

Tensor& put_inplace(Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value, bool accumulate) {
  KILN_CHECK(!indices.empty(), "Passing an empty index list to Tensor::index_put_() is not valid syntax");
  KILN_CHECK(value.defined(), "index_put_: the value is an undefined tensor");
  bool history = autograd::any_needs_grad(self, value) || fw::any_tangent(self, value);
  return ops::inplace(self, "index_put_", history, [&] { write_index(self, indices, value, accumulate); },
                      [&](const Tensor& self_value) { return index_put(self_value, indices, value, accumulate); });
}

// The operator form's indices as t.index({...}) reads them: nullopt is a whole dim.
std::vector<TensorIndex> from_list(const List<std::optional<Tensor>>& indices) {
  std::vector<TensorIndex> out;
  out.reserve(indices.size());
  for (const std::optional<Tensor>& t : indices) {
    if (t && t->defined())
      out.emplace_back(*t);
    else
      out.emplace_back(indexing::Slice());
  }
  return out;
}

}  // namespace

Tensor Tensor::index(const std::vector<TensorIndex>& indices) const {
  KILN_CHECK(!indices.empty(), "Passing an empty index list to Tensor::index() is not valid syntax");
  Sliced s = apply_basic(*this, indices, "index");
  if (s.indices.empty()) return s.view.is_same(*this) ? alias() : s.view;
  return ops::advanced_index(s.view, advanced_part(s, "index"), "IndexBackward0");
}
Tensor Tensor::index(std::initializer_list<TensorIndex> indices) const {
  return index(std::vector<TensorIndex>(indices));
}
Tensor Tensor::operator[](const Tensor& index) const { return this->index({TensorIndex(index)}); }

Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, const Tensor& value) {
  return put_inplace(*this, indices, value, false);
}
Tensor& Tensor::index_put_(const std::vector<TensorIndex>& indices, Scalar value) {
  KILN_CHECK(defined(), "index_put_: called on an undefined tensor");
  return index_put_(indices, full({}, value, dtype()));
}
Tensor& Tensor::index_put_(std::initializer_list<TensorIndex> indices, const Tensor& value) {
  return index_put_(std::vector<TensorIndex>(indices), value);
}
Tensor& Tensor::index_put_(std::initializer_list<TensorIndex> indices, Scalar value) {
  return index_put_(std::vector<TensorIndex>(indices), value);
}

Tensor Tensor::index(const List<std::optional<Tensor>>& indices) const {
  KILN_CHECK(!indices.empty(), "Passing an empty index list to Tensor::index() is not valid syntax");
  KILN_CHECK(std::any_of(indices.begin(), indices.end(), [](const auto& t) { return t && t->defined(); }),
             "index: at least one of the indices must be a tensor (got only nullopt)");
  Sliced s = apply_basic(*this, from_list(indices), "index", /*scalars_select=*/false);
  return ops::advanced_index(s.view, advanced_part(s, "index"), "IndexBackward0");
}
Tensor& Tensor::index_put_(const List<std::optional<Tensor>>& indices, const Tensor& values, bool accumulate) {
  return put_inplace(*this, from_list(indices), values, accumulate);
}
Tensor Tensor::index_put(const List<std::optional<Tensor>>& indices, const Tensor& values, bool accumulate) const {
  return clone().index_put_(indices, values, accumulate);
}
Tensor index(const Tensor& t, const List<std::optional<Tensor>>& indices) { return t.index(indices); }
Tensor& index_put_(Tensor& t, const List<std::optional<Tensor>>& indices, const Tensor& values, bool accumulate) {
  return t.index_put_(indices, values, accumulate);
}
Tensor index_put(const Tensor& t, const List<std::optional<Tensor>>& indices, const Tensor& values, bool accumulate) {
  return t.index_put(indices, values, accumulate);
}

Tensor nonzero(const Tensor& t) {
  KILN_CHECK(t.defined(), "nonzero: called on an undefined tensor");
  return kernels::nonzero(t);
}

}  // namespace kiln
