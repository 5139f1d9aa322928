// kiln::nn::Module and its holder, as torch::nn::Module / ModuleHolder:
// parameters, buffers and submodules registered by name (nested names are
// dotted: "0.weight", "encoder.lin.bias"), training mode, dtype conversion
// and the printed summary.
#pragma once
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kiln/callable.h"
#include "kiln/nn/ordered_dict.h"
#include "kiln/tensor.h"

namespace kiln::nn {

template <class Contained>
class ModuleHolder;

class Module : public std::enable_shared_from_this<Module> {
 public:
  explicit Module(std::string name);
  Module();
  virtual ~Module() = default;
  Module(const Module&) = default;
  Module& operator=(const Module&) = default;

  // The class's demangled name ("my::NetImpl"), unless given.
  const std::string& name() const;

  std::vector<Tensor> parameters(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_buffers(bool recurse = true) const;
  std::vector<std::shared_ptr<Module>> modules(bool include_self = true) const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_modules(const std::string& name_prefix = "",
                                                                  bool include_self = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_children() const;

  void apply(const Callable<void(Module&)>& function);
  void apply(const Callable<void(const std::string&, Module&)>& function, const std::string& name_prefix = "");

  virtual void train(bool on = true);
  void eval() { train(false); }
  virtual bool is_training() const noexcept { return is_training_; }
  // Converts every parameter and buffer in place (handles held elsewhere see it).
  virtual void to(ScalarType dtype, bool non_blocking = false);
  // libtorch 1.13's default zeroes gradients in place; set_to_none drops them.
  virtual void zero_grad(bool set_to_none = false);

  virtual void pretty_print(std::ostream& stream) const;
  virtual bool is_serializable() const { return true; }

  template <class T>
  T* as() noexcept {
    return dynamic_cast<T*>(this);
  }
  template <class T>
  const T* as() const noexcept {
    return dynamic_cast<const T*>(this);
  }

  Tensor& register_parameter(std::string name, Tensor tensor, bool requires_grad = true);
  Tensor& register_buffer(std::string name, Tensor tensor);
  template <class M>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
    check_child_name(name);
    KILN_CHECK(module != nullptr, "Module::register_module: submodule '", name, "' is null");
    children_.insert(std::move(name), module);
    return module;
  }
  template <class M>
  std::shared_ptr<M> register_module(std::string name, ModuleHolder<M> holder) {
    return register_module(std::move(name), holder.ptr());
  }
  template <class M>
  std::shared_ptr<M> replace_module(const std::string& name, std::shared_ptr<M> module) {
    KILN_CHECK(module != nullptr, "Module::replace_module: submodule '", name, "' is null");
    children_[name] = module;
    return module;
  }
  template <class M>
  std::shared_ptr<M> replace_module(const std::string& name, ModuleHolder<M> holder) {
    return replace_module(name, holder.ptr());
  }
  void unregister_module(const std::string& name);

 protected:
  OrderedDict<std::string, Tensor> parameters_{"Parameter"};
  OrderedDict<std::string, Tensor> buffers_{"Buffer"};
  OrderedDict<std::string, std::shared_ptr<Module>> children_{"Submodule"};

 private:
  friend std::ostream& operator<<(std::ostream& stream, const Module& module);
  void check_child_name(const std::string& name) const;
  void pretty_print_recursive(std::ostream& stream, const std::string& indentation) const;
  mutable std::string name_;
  bool is_training_ = true;
};

std::ostream& operator<<(std::ostream& stream, const Module& module);

// A shared pointer to a module with value syntax: `Linear lin(3, 1);
// lin->weight; lin(x);`. An empty holder comes from nullptr.
template <class Contained>
class ModuleHolder {
 public:
  using ContainedType = Contained;

  ModuleHolder()
    requires std::is_default_constructible_v<Contained>
      : impl_(std::make_shared<Contained>()) {}
  ModuleHolder(std::nullptr_t) {}  // NOLINT: implicit, as torch's
  template <class Head, class... Tail>
    requires(!std::is_same_v<std::decay_t<Head>, std::nullptr_t> &&
             !std::is_same_v<std::decay_t<Head>, ModuleHolder> &&
             !std::is_base_of_v<ModuleHolder, std::decay_t<Head>> &&
             !std::is_same_v<std::decay_t<Head>, std::shared_ptr<Contained>> &&
             std::is_constructible_v<Contained, Head&&, Tail&&...>)
  explicit ModuleHolder(Head&& head, Tail&&... tail)
      : impl_(std::make_shared<Contained>(std::forward<Head>(head), std::forward<Tail>(tail)...)) {}
  ModuleHolder(std::shared_ptr<Contained> module) : impl_(std::move(module)) {}  // NOLINT

  explicit operator bool() const noexcept { return !is_empty(); }
  bool is_empty() const noexcept { return impl_ == nullptr; }
  Contained* operator->() { return get(); }
  const Contained* operator->() const { return get(); }
  Contained& operator*() { return *get(); }
  const Contained& operator*() const { return *get(); }
  const std::shared_ptr<Contained>& ptr() const {
    KILN_CHECK(!is_empty(), "Accessing an empty ModuleHolder");
    return impl_;
  }
  Contained* get() const {
    KILN_CHECK(!is_empty(), "Accessing an empty ModuleHolder");
    return impl_.get();
  }
  template <class... Args>
  decltype(auto) operator()(Args&&... args) {
    return get()->forward(std::forward<Args>(args)...);
  }
  template <class Arg>
  decltype(auto) operator[](Arg&& arg) {
    return (*get())[std::forward<Arg>(arg)];
  }

 protected:
  std::shared_ptr<Contained> impl_;
};

template <class Contained>
std::ostream& operator<<(std::ostream& stream, const ModuleHolder<Contained>& module) {
  return stream << *module;
}

// Modules whose options are fixed at construction; reset() (re)creates the
// parameters, as torch::nn::Cloneable's contract.
template <class Derived>
class Cloneable : public Module {
 public:
  using Module::Module;
  virtual void reset() = 0;
};

}  // namespace kiln::nn

// KILN_MODULE(Linear) defines the holder `Linear` of `LinearImpl` (TORCH_MODULE).
#define KILN_MODULE_IMPL(Name, Impl)                           \
  class Name : public ::kiln::nn::ModuleHolder<Impl> {         \
   public:                                                     \
    using ::kiln::nn::ModuleHolder<Impl>::ModuleHolder;        \
    using ::kiln::nn::ModuleHolder<Impl>::get;                 \
  }
#define KILN_MODULE(Name) KILN_MODULE_IMPL(Name, Name##Impl)
