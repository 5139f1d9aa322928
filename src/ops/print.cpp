// `std::cout << t`: PyTorch's Python repr (torch/_tensor_str.py, 1.13), with
// "torch." spelled "kiln.". Two passes, as in Python: a Formatter looks at the
// elements that will be shown and picks one notation and one column width for
// all of them; the layout pass then nests brackets, wraps lines and appends
// the suffixes (dtype, grad_fn, requires_grad, tangent).
#include <charconv>
#include <cmath>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "autograd/forward_grad.h"
#include "core/tensor_impl.h"
#include "core/dispatch.h"
#include "kiln/autograd.h"
#include "kiln/functions.h"

namespace kiln {
namespace {

// torch's default print options.
constexpr int kPrecision = 4;
constexpr int64_t kThreshold = 1000;  // more elements than this are summarised
constexpr int64_t kEdgeItems = 3;     // shown at each end of a summarised dim
constexpr int64_t kLineWidth = 80;

// Python's "{:.{p}f}" / "{:.{p}e}" (correctly rounded, locale-free, and
// "nan"/"inf" without a sign on nan).
std::string python_float(double v, std::chars_format fmt, int precision) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof buf, v, fmt, precision);
  return std::string(buf, res.ptr);
}

std::string pad_left(std::string s, size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

// The elements of a tensor, read from a contiguous copy by flat index.
class Elements {
 public:
  explicit Elements(const Tensor& t) : data_(t.detach().contiguous()), dtype_(t.dtype()) {}
  ScalarType dtype() const { return dtype_; }
  const Tensor& tensor() const { return data_; }
  double real(int64_t i) const {
    return core::dispatch(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      return static_cast<double>(data_.data_ptr<T>()[i]);
    });
  }
  // Python's str() of an integer or bool element.
  std::string integral(int64_t i) const {
    if (dtype_ == kBool) return data_.data_ptr<bool>()[i] ? "True" : "False";
    return core::dispatch(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      return std::to_string(static_cast<int64_t>(data_.data_ptr<T>()[i]));
    });
  }

 private:
  Tensor data_;
  ScalarType dtype_;
};

// The indices shown along a dim of `size`: all, or the edge items when summarising.
template <class F>
void for_each_shown(int64_t size, bool summarize, F&& f) {
  if (summarize && size > 2 * kEdgeItems) {
    for (int64_t i = 0; i < kEdgeItems; ++i) f(i);
    for (int64_t i = size - kEdgeItems; i < size; ++i) f(i);
  } else {
    for (int64_t i = 0; i < size; ++i) f(i);
  }
}

// Flat indices (into the contiguous copy) of every element that will be printed.
void collect_shown(IntArrayRef sizes, IntArrayRef strides, size_t dim, int64_t offset, bool summarize,
                   std::vector<int64_t>& out) {
  if (dim == sizes.size()) {
    out.push_back(offset);
    return;
  }
  for_each_shown(sizes[dim], summarize, [&](int64_t i) {
    collect_shown(sizes, strides, dim + 1, offset + i * strides[dim], summarize, out);
  });
}

// _Formatter: one notation and width for every element shown.
class Formatter {
 public:
  Formatter(const Elements& e, const std::vector<int64_t>& shown) : e_(e), floating_(is_floating_point(e.dtype())) {
    if (!floating_) {
      for (int64_t i : shown) grow(e.integral(i).size());
      return;
    }
    std::vector<double> vals;  // the nonzero finite values decide the notation
    for (int64_t i : shown) {
      double v = e.real(i);
      if (std::isfinite(v) && v != 0) vals.push_back(v);
    }
    if (vals.empty()) return;
    double lo = std::abs(vals[0]), hi = lo;
    for (double v : vals) {
      lo = std::min(lo, std::abs(v));
      hi = std::max(hi, std::abs(v));
      if (v != std::ceil(v)) int_mode_ = false;
    }
    bool wide_range = hi / lo > 1000.0 || hi > 1.0e8;
    sci_mode_ = int_mode_ ? wide_range : wide_range || lo < 1.0e-4;
    for (double v : vals) {
      if (sci_mode_) grow(python_float(v, std::chars_format::scientific, kPrecision).size());
      else if (int_mode_) grow(python_float(v, std::chars_format::fixed, 0).size() + 1);
      else grow(python_float(v, std::chars_format::fixed, kPrecision).size());
    }
  }

  size_t width() const { return max_width_; }

  std::string format(int64_t i) const {
    if (!floating_) return pad_left(e_.integral(i), max_width_);
    double v = e_.real(i);
    std::string s;
    if (sci_mode_) {
      s = python_float(v, std::chars_format::scientific, kPrecision);
    } else if (int_mode_) {
      s = python_float(v, std::chars_format::fixed, 0);
      if (std::isfinite(v)) s += '.';  // marks a floating tensor
    } else {
      s = python_float(v, std::chars_format::fixed, kPrecision);
    }
    return pad_left(std::move(s), max_width_);
  }

 private:
  void grow(size_t w) { max_width_ = std::max(max_width_, w); }

  const Elements& e_;
  bool floating_;
  bool int_mode_ = true;
  bool sci_mode_ = false;
  size_t max_width_ = 1;
};

// _tensor_str_with_formatter: nested brackets; a vector wraps at the line width.
class Layout {
 public:
  Layout(const Elements& e, const Formatter& f, bool summarize)
      : sizes_(e.tensor().sizes()), strides_(e.tensor().strides()), f_(f), summarize_(summarize) {}

  std::string str(size_t dim, int64_t offset, int64_t indent) const {
    if (sizes_.size() == 0) return f_.format(offset);
    if (dim + 1 == sizes_.size()) return vector(dim, offset, indent);
    std::vector<std::string> slices;
    bool cut = summarize_ && sizes_[dim] > 2 * kEdgeItems;
    for_each_shown(sizes_[dim], summarize_, [&](int64_t i) {
      if (cut && i == sizes_[dim] - kEdgeItems) slices.push_back("...");
      slices.push_back(str(dim + 1, offset + i * strides_[dim], indent + 1));
    });
    size_t remaining = sizes_.size() - dim;  // the dims of this slab
    std::string sep = ",";
    sep.append(remaining - 1, '\n').append(indent + 1, ' ');
    return bracketed(join(slices, sep));
  }

 private:
  std::string vector(size_t dim, int64_t offset, int64_t indent) const {
    int64_t element_length = static_cast<int64_t>(f_.width()) + 2;  // with ", "
    int64_t per_line = std::max<int64_t>(1, (kLineWidth - indent) / element_length);
    std::vector<std::string> data;
    bool cut = summarize_ && sizes_[dim] > 2 * kEdgeItems;
    for_each_shown(sizes_[dim], summarize_, [&](int64_t i) {
      if (cut && i == sizes_[dim] - kEdgeItems) data.push_back(" ...");
      data.push_back(f_.format(offset + i * strides_[dim]));
    });
    std::vector<std::string> lines;
    for (size_t i = 0; i < data.size(); i += per_line) {
      std::vector<std::string> line(data.begin() + i, data.begin() + std::min(data.size(), i + per_line));
      lines.push_back(join(line, ", "));
    }
    return bracketed(join(lines, ",\n" + std::string(indent + 1, ' ')));
  }

  // (Appended, not "[" + s + "]": GCC 12 warns wrongly on that, bug 105651.)
  static std::string bracketed(const std::string& s) {
    std::string out = "[";
    out += s;
    out += ']';
    return out;
  }

  static std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) (i ? out.append(sep) : out).append(parts[i]);
    return out;
  }

  IntArrayRef sizes_, strides_;
  const Formatter& f_;
  bool summarize_;
};

std::string tensor_body(const Tensor& t, int64_t indent) {
  Elements e(t);
  bool summarize = t.numel() > kThreshold;
  std::vector<int64_t> shown;
  collect_shown(e.tensor().sizes(), e.tensor().strides(), 0, 0, summarize, shown);
  Formatter f(e, shown);
  return Layout(e, f, summarize).str(0, 0, indent);
}

// Python's str(tuple(shape)): "(0, 3)", "(0,)".
std::string shape_tuple(IntArrayRef sizes) {
  std::string s = "(";
  for (size_t i = 0; i < sizes.size(); ++i) s += (i ? ", " : "") + std::to_string(sizes[i]);
  return s + (sizes.size() == 1 ? ",)" : ")");
}

// _add_suffixes: each suffix goes on the current line unless it would pass the line width.
std::string add_suffixes(std::string body, const std::vector<std::string>& suffixes, int64_t indent) {
  size_t nl = body.rfind('\n');
  // Python computes len - rfind + 1, with rfind = -1 when there is no newline.
  int64_t last_line_len = static_cast<int64_t>(body.size()) - (nl == std::string::npos ? -1 : int64_t(nl)) + 1;
  for (const std::string& s : suffixes) {
    int64_t len = static_cast<int64_t>(s.size());
    if (last_line_len + len + 2 > kLineWidth) {
      body += ",\n" + std::string(indent, ' ') + s;
      last_line_len = indent + len;
    } else {
      body += ", " + s;
      last_line_len += len + 2;
    }
  }
  return body + ")";
}

std::string grad_fn_name(const autograd::Node& node) {
  std::string name = node.name();
  size_t colons = name.rfind("::");
  return colons == std::string::npos ? name : name.substr(colons + 2);
}

std::string repr(const Tensor& t) {
  const std::string prefix = "tensor(";
  const int64_t indent = static_cast<int64_t>(prefix.size());
  std::vector<std::string> suffixes;
  std::string dtype_suffix = std::string("dtype=kiln.") + python_name(t.dtype());
  std::string body;
  if (t.numel() == 0) {
    // No elements to tell int64 from float: the dtype is shown unless it is the default.
    if (t.dim() != 1) suffixes.push_back("size=" + shape_tuple(t.sizes()));
    if (t.dtype() != get_default_dtype()) suffixes.push_back(dtype_suffix);
    body = "[]";
  } else {
    ScalarType d = t.dtype();
    if (d != get_default_dtype() && d != kInt64 && d != kBool) suffixes.push_back(dtype_suffix);
    body = tensor_body(t, indent);
  }
  if (auto fn = t.grad_fn()) suffixes.push_back("grad_fn=<" + grad_fn_name(*fn) + ">");
  else if (t.requires_grad()) suffixes.push_back("requires_grad=True");
  if (autograd::forward::active()) {
    Tensor tangent = autograd::forward::tangent(t);
    if (tangent.defined()) suffixes.push_back("tangent=" + repr(tangent));
  }
  return add_suffixes(prefix + body, suffixes, indent);
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "[ Tensor (undefined) ]";  // as libtorch prints it
  NoGradGuard no_grad;
  return os << repr(t);
}

std::string Tensor::toString() const {
  std::ostringstream os;
  os << *this;
  return os.str();
}

}  // namespace kiln
