// Custom differentiable functions, as torch::autograd::Function:
//
//   struct MulConstant : kiln::autograd::Function<MulConstant> {
//     static Tensor forward(AutogradContext* ctx, Tensor x, double c) {
//       ctx->saved_data["c"] = c;
//       return x * c;
//     }
//     static variable_list backward(AutogradContext* ctx, variable_list g) {
//       return {g[0] * ctx->saved_data["c"].toDouble(), Tensor()};
//     }
//   };
//   Tensor y = MulConstant::apply(x, 2.0);
//
// forward runs without recording; apply() then records one node whose
// backward calls T::backward with the gradients of forward's outputs.
// backward returns one gradient per forward argument (undefined for
// non-tensor arguments) or one per tensor argument. Forward mode (tangents)
// does not pass through custom functions: apply() refuses a dual input, as
// libtorch does.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "kiln/autograd.h"

namespace kiln::autograd {

// A range [first, second) of forward's tensor arguments (needs_input_grad).
using IndexRange = std::pair<size_t, size_t>;

// A value kept in AutogradContext::saved_data (libtorch's IValue, reduced to
// what a backward needs).
class IValue {
 public:
  IValue() = default;
  IValue(double v) : v_(v) {}
  IValue(float v) : v_(static_cast<double>(v)) {}
  IValue(int64_t v) : v_(v) {}
  IValue(int v) : v_(static_cast<int64_t>(v)) {}
  IValue(bool v) : v_(v) {}
  IValue(Tensor v) : v_(std::move(v)) {}
  IValue(std::string v) : v_(std::move(v)) {}
  IValue(const char* v) : v_(std::string(v)) {}
  IValue(std::vector<int64_t> v) : v_(std::move(v)) {}

  bool isNone() const { return v_.index() == 0; }
  bool isDouble() const { return std::holds_alternative<double>(v_); }
  bool isInt() const { return std::holds_alternative<int64_t>(v_); }
  bool isBool() const { return std::holds_alternative<bool>(v_); }
  bool isTensor() const { return std::holds_alternative<Tensor>(v_); }
  bool isString() const { return std::holds_alternative<std::string>(v_); }
  bool isIntList() const { return std::holds_alternative<std::vector<int64_t>>(v_); }
  // An int converts to double (as a Python number would); other mismatches throw.
  double toDouble() const;
  int64_t toInt() const;
  bool toBool() const;
  const Tensor& toTensor() const;
  const std::string& toStringRef() const;
  const std::vector<int64_t>& toIntVector() const;

 private:
  std::variant<std::monostate, double, int64_t, bool, Tensor, std::string, std::vector<int64_t>> v_;
};

namespace detail {
struct SavedVariables;  // the saved tensors with their versions (autograd_function.cpp)
class CustomNodeBase;
}  // namespace detail

// What forward() leaves for backward().
class AutogradContext {
 public:
  AutogradContext();
  ~AutogradContext();
  AutogradContext(const AutogradContext&) = delete;
  AutogradContext& operator=(const AutogradContext&) = delete;

  // Arbitrary values for backward (numbers, shapes, tensors that need no
  // version check).
  std::unordered_map<std::string, IValue> saved_data;

  // Tensors for backward (inputs or outputs of forward). An in-place change
  // made to one before backward is reported when backward unpacks it.
  void save_for_backward(variable_list to_save);
  variable_list get_saved_variables() const;
  // Outputs that get no gradient (e.g. indices); they do not require grad.
  void mark_non_differentiable(const variable_list& outputs);
  // Inputs that forward modified in place: their version moves on, and the
  // ones returned take this node as their history (not an alias).
  void mark_dirty(const variable_list& inputs);
  // When true (the default) backward sees zeros for unused outputs instead
  // of undefined gradients.
  void set_materialize_grads(bool value) { materialize_grads_ = value; }
  // Whether tensor argument `index` of forward needs a gradient (in
  // backward: whether the running pass needs it).
  bool needs_input_grad(size_t index) const;
  // Whether any tensor argument in the ranges [first, second) needs one.
  bool needs_input_grad(std::initializer_list<IndexRange> ranges) const;

 private:
  friend class detail::CustomNodeBase;
  variable_list to_save_;
  std::unique_ptr<detail::SavedVariables> saved_;
  std::vector<const void*> non_differentiable_;  // TensorImpl addresses
  std::vector<const void*> dirty_;               // TensorImpl addresses
  std::vector<bool> needs_input_grad_;
  std::weak_ptr<Node> node_;
  bool materialize_grads_ = true;
  bool saved_released_ = false;
};

namespace detail {

// The part of a custom function's node that does not depend on T.
class CustomNodeBase : public Node {
 public:
  variable_list apply(variable_list&& grads) override;
  void release_variables() override;
  AutogradContext ctx;

  // Called by Function<T>::apply around T::forward.
  void begin(const variable_list& tensor_inputs, std::vector<bool> is_tensor_arg);
  // Wires the node into the graph (when some input requires grad) and
  // returns the outputs, aliased where forward returned an input as is.
  variable_list finish(const variable_list& tensor_inputs, variable_list outputs);

 protected:
  virtual variable_list call_backward(variable_list grads) = 0;

 private:
  std::vector<bool> is_tensor_arg_;  // per forward argument
  std::vector<Node::InputMeta> output_meta_;
};

// A demangled type name, for node names.
std::string demangle(const char* mangled);

template <class T>
class CppNode final : public CustomNodeBase {
 public:
  std::string name() const override { return demangle(typeid(CppNode<T>).name()); }

 protected:
  variable_list call_backward(variable_list grads) override { return T::backward(&ctx, std::move(grads)); }
};

inline void collect_arg(variable_list& tensors, std::vector<bool>& is_tensor, const Tensor& t) {
  tensors.push_back(t);
  is_tensor.push_back(true);
}
inline void collect_arg(variable_list& tensors, std::vector<bool>& is_tensor, const variable_list& ts) {
  for (const Tensor& t : ts) collect_arg(tensors, is_tensor, t);
}
template <class A>
void collect_arg(variable_list&, std::vector<bool>& is_tensor, const A&) {
  is_tensor.push_back(false);
}

}  // namespace detail

template <class T>
struct Function {
  template <class... Args>
  static auto apply(Args&&... args) {
    auto node = std::make_shared<detail::CppNode<T>>();
    variable_list inputs;
    std::vector<bool> is_tensor;
    (detail::collect_arg(inputs, is_tensor, args), ...);
    node->begin(inputs, std::move(is_tensor));
    using Out = decltype(T::forward(&node->ctx, std::forward<Args>(args)...));
    Out out;
    {
      AutoGradMode no_grad(false);
      out = T::forward(&node->ctx, std::forward<Args>(args)...);
    }
    if constexpr (std::is_same_v<std::decay_t<Out>, Tensor>) {
      return node->finish(inputs, {std::move(out)})[0];
    } else {
      static_assert(std::is_same_v<std::decay_t<Out>, variable_list>,
                    "Function<T>: T::forward must return a Tensor or a variable_list");
      return node->finish(inputs, std::move(out));
    }
  }
};

}  // namespace kiln::autograd
