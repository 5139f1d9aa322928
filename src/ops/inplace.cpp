// In-place ops under autograd, including through views (PyTorch's
// CopySlices): writing into a view changes its base, so the base's history
// must change too.
#include <algorithm>
#include <optional>
#include <utility>

#include "autograd/derivative.h"
#include "core/tensor_impl.h"
#include "ops/ops.h"

namespace kiln::ops {
namespace {

using autograd::BackwardArgs;

// Where a view sits in its base's memory, relative to the base's first
// element. The base is dense: its dims taken in `order` (the identity when
// it is contiguous) are contiguous, so a tensor shaped like the base,
// permuted to that order and made contiguous, has the base's memory layout.
// of(t) is the view's window of such a tensor, as a recorded view, so
// formulas through it differentiate.
struct Region {
  Shape sizes, strides;
  int64_t offset;
  Shape order;       // empty for the identity
  Shape laid_sizes;  // the base's sizes in `order`

  Tensor of(const Tensor& t) const { return window(order.empty() ? t : t.permute(order)); }
  // Zeros shaped like the base with `t` in the window.
  Tensor scatter(const Tensor& t) const {
    Tensor laid = scatter_laid(t);
    if (order.empty()) return laid;
    Shape inverse(order.size());
    for (size_t i = 0; i < order.size(); ++i) inverse[order[i]] = static_cast<int64_t>(i);
    return laid.permute(inverse);
  }

 private:
  // The window of a tensor shaped like the base's memory (laid_sizes).
  Tensor window(const Tensor& laid) const {
    Tensor c = laid.contiguous();
    Region r = *this;
    return view_op(
        c, sizes, strides, c.storage_offset() + offset, "AsStridedBackward0",
        [r](const Tensor& g) { return r.scatter_laid(g); }, [r](const Tensor& x) { return r.window(x); });
  }
  Tensor scatter_laid(const Tensor& t) const {
    Region r = *this;
    return view_scatter(t, laid_sizes, [r](const Tensor& x) { return r.window(x); });
  }
};

// The dims of `base` by decreasing stride, if they make it contiguous (a
// dense base: contiguous, transposed, permuted); empty for the identity.
std::optional<Shape> dense_order(const Tensor& base) {
  if (base.is_contiguous()) return Shape();
  Shape order(base.dim());
  for (int64_t d = 0; d < base.dim(); ++d) order[d] = d;
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return base.stride(a) > base.stride(b); });
  int64_t expected = 1;
  for (size_t i = order.size(); i-- > 0;) {
    if (base.size(order[i]) == 1) continue;
    if (base.stride(order[i]) != expected) return std::nullopt;
    expected *= base.size(order[i]);
  }
  return order;
}

// The view's region of its base, or none when the base has gaps or overlaps.
std::optional<Region> region_of(const Tensor& view, const Tensor& base) {
  std::optional<Shape> order = dense_order(base);
  if (!order) return std::nullopt;
  Shape laid(base.sizes());
  for (size_t i = 0; i < order->size(); ++i) laid[i] = base.size((*order)[i]);
  return Region{Shape(view.sizes()), Shape(view.strides()), view.storage_offset() - base.storage_offset(), *order,
                laid};
}

// Records `view` as the window `region` of `base`'s current history.
void attach_to_base(const Tensor& view, const Tensor& base, const Region& region) {
  autograd::record({"AsStridedBackward0", {base}}, {view},
                   [region](const BackwardArgs& g) -> autograd::Grads { return {region.scatter(g.grad())}; });
  autograd::meta(view).view_version = view._version();
}

// The base's history after `op` (recorded with the view's old value as its
// input 0) overwrote the view: the base's gradient outside the window passes
// through, inside it goes through op's own backward, whose gradient for the
// view's old value lands back in the window; op's other inputs keep theirs.
// `name` is the in-place op's, for its error.
void rebase_base(const char* name, const Tensor& view, const Tensor& base, const std::shared_ptr<autograd::Node>& op,
                 uint32_t output_nr) {
  std::optional<Region> found = region_of(view, base);
  KILN_CHECK(found, name, ": in-place operation on a view: the base tensor of shape ", base.sizes(), " and strides ",
             base.strides(), " has gaps or overlaps in memory, which kiln does not support here");
  const Region& region = *found;
  // The node owns op (runs_), so the formula holds a plain pointer to it.
  auto backward = [op = op.get(), output_nr, region](const BackwardArgs& g) -> autograd::Grads {
    const Tensor& grad = g.grad();
    autograd::Grads op_grads(op->num_inputs());
    op_grads[output_nr] = region.of(grad).clone();
    autograd::Grads from_op = op->run(std::move(op_grads));
    autograd::Grads out(1);  // the base's: none when it did not require grad before the write
    if (g.needs_grad(0)) {
      Tensor inside = region.scatter(ones(region.sizes, kBool));
      Tensor old_view =
          from_op[0].defined() ? autograd::sum_to(from_op[0], region.sizes) : zeros(region.sizes, grad.dtype());
      out[0] = where(inside, region.scatter(old_view), grad);
    }
    for (size_t i = 1; i < from_op.size(); ++i) out.push_back(std::move(from_op[i]));
    return out;
  };
  {
    // A retaining base keeps its .grad on its old history, as in libtorch 1.13
    // (only the tensor written in place moves its retain_grad on).
    autograd::AutogradMeta& bm = autograd::meta(base);
    std::shared_ptr<Tensor> retained = std::exchange(bm.retained_grad, nullptr);
    autograd::record({"torch::autograd::CopySlices", {base}}, {base}, std::move(backward));
    bm.retained_grad = std::move(retained);
  }
  // The node's other inputs are op's: their gradients come from op's backward.
  auto& copy_slices = static_cast<autograd::FunctionNode&>(*autograd::meta(base).grad_fn);
  copy_slices.runs_ = op;
  for (size_t i = 1; i < op->next_edges_.size(); ++i) {
    copy_slices.next_edges_.push_back(op->next_edges_[i]);
    copy_slices.input_meta_.push_back(op->input_meta_[i]);
  }
  // The view is now a window of the new base.
  attach_to_base(view, base, region);
}

}  // namespace

void bump_version(const Tensor& t) { impl(t)->storage->version.fetch_add(1, std::memory_order_relaxed); }

Tensor& inplace(Tensor& self, const char* op, bool needs_history, const std::function<void()>& direct,
                const std::function<Tensor(const Tensor& value)>& out_of_place) {
  KILN_CHECK(self.defined(), op, ": called on an undefined tensor");
  if (!needs_history) {
    direct();
    bump_version(self);
    return self;
  }
  KILN_CHECK(!(self.is_leaf() && self.requires_grad() && GradMode::is_enabled()), op,
             ": a leaf Variable that requires grad is being used in an in-place operation.");
  const autograd::AutogradMeta* self_meta = autograd::meta_if(self);
  Tensor base = self_meta && GradMode::is_enabled() ? self_meta->view_base : Tensor();
  KILN_CHECK(!(base.defined() && base.is_leaf() && base.requires_grad()), op,
             ": a view of a leaf Variable that requires grad is being used in an in-place operation.");
  Tensor result = out_of_place(self.clone());
  KILN_CHECK(result.sizes() == self.sizes(), op, ": output with shape ", self.sizes(),
             " doesn't match the broadcast shape ", result.sizes());
  kernels::copy(self, result);
  bump_version(self);
  if (autograd::AutogradMeta* m = autograd::meta_if(result); m && m->grad_fn) {
    if (base.defined())
      rebase_base(op, self, base, m->grad_fn, m->output_nr);
    else
      autograd::set_history(self, m->grad_fn, m->output_nr);
  }
  if (Tensor t = autograd::forward::tangent(result); t.defined()) {
    // A view's tangent is the same view of its base's tangent: write through
    // it, so the base sees the change (as PyTorch does). A base without a
    // tangent gets zeros first.
    Tensor current = autograd::forward::tangent(self);
    if (!current.defined() && base.defined() && !autograd::forward::tangent(base).defined()) {
      NoGradGuard no_grad;
      autograd::forward::set_tangent(base, empty_strided(base.sizes(), base.strides(), base.dtype()).zero_());
      current = autograd::forward::tangent(self);
    }
    if (current.defined() && current.sizes() == t.sizes()) {
      NoGradGuard no_grad;
      kernels::copy(current, t);
    } else {
      autograd::forward::set_tangent(self, t);
    }
  }
  return self;
}

namespace {
void refresh_view_history(const Tensor& view) {
  const Tensor& base = autograd::meta(view).view_base;
  // (A write into a base with gaps was refused, so its views are not stale.)
  if (std::optional<Region> region = region_of(view, base)) attach_to_base(view, base, *region);
}

Tensor view_tangent(const Tensor& view) {
  const Tensor& base = autograd::meta(view).view_base;
  Tensor base_tangent = autograd::forward::tangent(base);
  // (Only a tangent laid out like the base has the view's window at the view's offsets.)
  if (!base_tangent.defined() || base_tangent.strides() != base.strides()) return Tensor();
  Tensor t = core::make_view(base_tangent, view.sizes(), view.strides(),
                             base_tangent.storage_offset() + view.storage_offset() - base.storage_offset());
  autograd::forward::set_tangent(view, t);  // kept: later writes through the view must reach the same memory
  return t;
}

const bool registered = autograd::register_view_rules({refresh_view_history, view_tangent});
}  // namespace

}  // namespace kiln::ops
