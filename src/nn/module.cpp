// nn::Module: registration by name, the recursive walks and the summary.
#include "kiln/nn/module.h"


#include <cstdlib>
#include <ostream>
#include <typeinfo>

#include "kiln/autograd.h"
#include "kiln/autograd_function.h"
#include "kiln/functions.h"

namespace kiln::nn {
namespace {
// The demangled class name, as libtorch's Module::name() (no "Impl" stripped:
// the layers print their own names).
std::string type_name(const std::type_info& type) { return autograd::detail::demangle(type.name()); }

void check_name(const char* what, const std::string& name) {
  KILN_CHECK(!name.empty(), "Module::register_", what, ": the name must not be empty");
  KILN_CHECK(name.find('.') == std::string::npos, "Module::register_", what, ": the name must not contain a dot (got '",
             name, "')");
}

std::string joined(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}
}  // namespace

Module::Module(std::string name) : name_(std::move(name)) {}
Module::Module() = default;

const std::string& Module::name() const {
  if (name_.empty()) name_ = type_name(typeid(*this));
  return name_;
}

Tensor& Module::register_parameter(std::string name, Tensor tensor, bool requires_grad) {
  check_name("parameter", name);
  KILN_CHECK(!parameters_.contains(name), "Module::register_parameter: parameter '", name, "' already defined");
  if (tensor.defined()) tensor.set_requires_grad(requires_grad);
  return parameters_.insert(std::move(name), std::move(tensor));
}

Tensor& Module::register_buffer(std::string name, Tensor tensor) {
  check_name("buffer", name);
  return buffers_.insert(std::move(name), std::move(tensor));
}

void Module::check_child_name(const std::string& name) const { check_name("module", name); }

void Module::unregister_module(const std::string& name) {
  KILN_CHECK(children_.contains(name), "Module::unregister_module: no submodule named '", name, "'");
  children_.erase(name);
}

OrderedDict<std::string, std::shared_ptr<Module>> Module::named_modules(const std::string& name_prefix,
                                                                        bool include_self) const {
  OrderedDict<std::string, std::shared_ptr<Module>> out("Module");
  if (include_self) out.insert(name_prefix, std::const_pointer_cast<Module>(shared_from_this()));
  for (const auto& child : children_)
    for (const auto& item : child.value()->named_modules(joined(name_prefix, child.key()), true))
      out.insert(item.key(), item.value());
  return out;
}

std::vector<std::shared_ptr<Module>> Module::modules(bool include_self) const {
  std::vector<std::shared_ptr<Module>> out;
  if (include_self) out.push_back(std::const_pointer_cast<Module>(shared_from_this()));
  for (const auto& child : children_)
    for (auto& m : child.value()->modules(true)) out.push_back(std::move(m));
  return out;
}

std::vector<std::shared_ptr<Module>> Module::children() const { return children_.values(); }
OrderedDict<std::string, std::shared_ptr<Module>> Module::named_children() const { return children_; }

namespace {
// Own entries first, then each child's under its name, as torch orders them.
template <class Pick>
void collect(const Module& m, const std::string& prefix, bool recurse, Pick pick,
             OrderedDict<std::string, Tensor>& out) {
  for (const auto& item : pick(m))
    if (item.value().defined()) out.insert(joined(prefix, item.key()), item.value());
  if (!recurse) return;
  for (const auto& child : m.named_children()) collect(*child.value(), joined(prefix, child.key()), true, pick, out);
}
}  // namespace

OrderedDict<std::string, Tensor> Module::named_parameters(bool recurse) const {
  OrderedDict<std::string, Tensor> out("Parameter");
  collect(*this, "", recurse, [](const Module& m) -> const auto& { return m.parameters_; }, out);
  return out;
}
OrderedDict<std::string, Tensor> Module::named_buffers(bool recurse) const {
  OrderedDict<std::string, Tensor> out("Buffer");
  collect(*this, "", recurse, [](const Module& m) -> const auto& { return m.buffers_; }, out);
  return out;
}
std::vector<Tensor> Module::parameters(bool recurse) const { return named_parameters(recurse).values(); }
std::vector<Tensor> Module::buffers(bool recurse) const { return named_buffers(recurse).values(); }

void Module::apply(const Callable<void(Module&)>& function) {
  function(*this);
  for (const auto& child : children_) child.value()->apply(function);
}
void Module::apply(const Callable<void(const std::string&, Module&)>& function, const std::string& name_prefix) {
  function(name_prefix, *this);
  for (const auto& child : children_) child.value()->apply(function, joined(name_prefix, child.key()));
}

void Module::train(bool on) {
  for (const auto& child : children_) child.value()->train(on);
  is_training_ = on;
}

void Module::to(ScalarType dtype, bool non_blocking) {
  for (const auto& child : children_) child.value()->to(dtype, non_blocking);
  NoGradGuard no_grad;
  auto convert = [dtype](Tensor& t) {
    if (t.defined() && t.is_floating_point() && t.dtype() != dtype) t.set_data(t.to(dtype));
  };
  for (auto& p : parameters_) convert(p.value());
  for (auto& b : buffers_) convert(b.value());
}

void Module::zero_grad(bool set_to_none) {
  for (const auto& child : children_) child.value()->zero_grad(set_to_none);
  for (auto& p : parameters_) {
    if (!p.value().defined()) continue;  // an absent parameter (Linear without bias)
    Tensor& g = p.value().mutable_grad();
    if (!g.defined()) continue;
    if (set_to_none) {
      g = Tensor();
    } else {
      g = g.detach();
      g.zero_();
    }
  }
}

void Module::pretty_print(std::ostream& stream) const { stream << name(); }

void Module::pretty_print_recursive(std::ostream& stream, const std::string& indentation) const {
  pretty_print(stream);
  if (children_.is_empty()) return;
  stream << "(\n";
  std::string inner = indentation + "  ";
  for (const auto& child : children_) {
    stream << inner << "(" << child.key() << "): ";
    child.value()->pretty_print_recursive(stream, inner);
    stream << "\n";
  }
  stream << indentation << ")";
}

std::ostream& operator<<(std::ostream& stream, const Module& module) {
  module.pretty_print_recursive(stream, "");
  return stream;
}

}  // namespace kiln::nn
