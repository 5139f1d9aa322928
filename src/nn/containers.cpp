// Sequential, ModuleList and Functional: children named by position ("0", "1", ...) unless named.
#include "kiln/nn/containers.h"

#include <ostream>

namespace kiln::nn {

SequentialImpl::SequentialImpl(std::initializer_list<NamedAnyModule> named) {
  for (const NamedAnyModule& m : named) push_back(m.name, m.module);
}

void SequentialImpl::push_back(AnyModule module) { push_back(std::to_string(modules_.size()), std::move(module)); }

void SequentialImpl::push_back(std::string name, AnyModule module) {
  KILN_CHECK(!module.is_empty(), "Sequential::push_back: module '", name, "' is empty");
  register_module(std::move(name), module.ptr());
  modules_.push_back(std::move(module));
}

void SequentialImpl::extend(const SequentialImpl& other) {
  for (const AnyModule& m : other.modules_) push_back(m);
}

const AnyModule& SequentialImpl::checked(size_t index) const {
  KILN_CHECK(index < modules_.size(), "Sequential: index ", index, " is out of range for a Sequential of size ",
             modules_.size());
  return modules_[index];
}

Tensor SequentialImpl::forward(const Tensor& input) {
  KILN_CHECK(!modules_.empty(), "Sequential: cannot call forward() on an empty Sequential");
  Tensor x = modules_.front().forward(input);
  for (size_t i = 1; i < modules_.size(); ++i) x = modules_[i].forward(x);
  return x;
}

void SequentialImpl::pretty_print(std::ostream& stream) const { stream << "kiln::nn::Sequential"; }

void ModuleListImpl::push_back(std::shared_ptr<Module> module) {
  KILN_CHECK(module != nullptr, "ModuleList::push_back: the module is null");
  register_module(std::to_string(modules_.size()), module);
  modules_.push_back(std::move(module));
}

void ModuleListImpl::extend(const ModuleListImpl& other) {
  for (const auto& m : other.modules_) push_back(m);
}

void ModuleListImpl::insert(size_t index, std::shared_ptr<Module> module) {
  KILN_CHECK(index <= modules_.size(), "ModuleList::insert: index ", index, " is out of range for a ModuleList of size ",
             modules_.size());
  KILN_CHECK(module != nullptr, "ModuleList::insert: the module is null");
  modules_.insert(modules_.begin() + static_cast<std::ptrdiff_t>(index), std::move(module));
  renumber();
}

void ModuleListImpl::renumber() {
  children_.clear();
  for (size_t i = 0; i < modules_.size(); ++i) register_module(std::to_string(i), modules_[i]);
}

std::shared_ptr<Module> ModuleListImpl::ptr(size_t index) const {
  KILN_CHECK(index < modules_.size(), "ModuleList: index ", index, " is out of range for a ModuleList of size ",
             modules_.size());
  return modules_[index];
}

void ModuleListImpl::pretty_print(std::ostream& stream) const { stream << "kiln::nn::ModuleList"; }

FunctionalImpl::FunctionalImpl(Function function) : function_(std::move(function)) {
  KILN_CHECK(static_cast<bool>(function_), "Functional: the function is empty");
}
Tensor FunctionalImpl::forward(Tensor input) { return function_(std::move(input)); }
void FunctionalImpl::pretty_print(std::ostream& stream) const { stream << "kiln::nn::Functional()"; }

}  // namespace kiln::nn
