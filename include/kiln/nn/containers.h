// Containers of modules (torch::nn's): AnyModule, Sequential, ModuleList, Functional.
#pragma once
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kiln/callable.h"
#include "kiln/nn/module.h"

namespace kiln::nn {

// Any module whose forward maps one tensor to one tensor, type-erased.
class AnyModule {
 public:
  AnyModule() = default;
  template <class M>
    requires std::is_base_of_v<Module, M>
  AnyModule(std::shared_ptr<M> module)  // NOLINT: implicit, as torch's
      : module_(module), forward_([raw = module.get()](const Tensor& x) -> Tensor { return raw->forward(x); }) {
    KILN_CHECK(module != nullptr, "AnyModule: the module is null");
  }
  template <class M>
  AnyModule(const ModuleHolder<M>& holder) : AnyModule(holder.ptr()) {}  // NOLINT
  template <class M>
    requires std::is_base_of_v<Module, M>
  AnyModule(M&& module) : AnyModule(std::make_shared<std::decay_t<M>>(std::forward<M>(module))) {}  // NOLINT

  Tensor forward(const Tensor& input) const {
    KILN_CHECK(forward_, "AnyModule: forward called on an empty AnyModule");
    return forward_(input);
  }
  const std::shared_ptr<Module>& ptr() const { return module_; }
  template <class T>
  std::shared_ptr<T> ptr() const {
    return std::dynamic_pointer_cast<T>(module_);
  }
  bool is_empty() const { return module_ == nullptr; }

 private:
  std::shared_ptr<Module> module_;
  Callable<Tensor(const Tensor&)> forward_;
};

struct NamedAnyModule {
  template <class M>
  NamedAnyModule(std::string name, M&& module) : name(std::move(name)), module(std::forward<M>(module)) {}
  std::string name;
  AnyModule module;
};

class SequentialImpl : public Cloneable<SequentialImpl> {
 public:
  SequentialImpl() = default;
  template <class... Modules>
    requires(sizeof...(Modules) > 0 && (std::is_constructible_v<AnyModule, Modules&&> && ...))
  explicit SequentialImpl(Modules&&... modules) {
    (push_back(AnyModule(std::forward<Modules>(modules))), ...);
  }
  explicit SequentialImpl(std::initializer_list<NamedAnyModule> named);

  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  // Each module's output is the next one's input.
  Tensor forward(const Tensor& input);

  void push_back(AnyModule module);
  void push_back(std::string name, AnyModule module);
  template <class M>
    requires(!std::is_same_v<std::decay_t<M>, AnyModule> && std::is_constructible_v<AnyModule, M &&>)
  void push_back(M&& module) {
    push_back(AnyModule(std::forward<M>(module)));
  }
  template <class M>
    requires(!std::is_same_v<std::decay_t<M>, AnyModule> && std::is_constructible_v<AnyModule, M &&>)
  void push_back(std::string name, M&& module) {
    push_back(std::move(name), AnyModule(std::forward<M>(module)));
  }
  void extend(const SequentialImpl& other);

  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  auto begin() { return modules_.begin(); }
  auto end() { return modules_.end(); }
  auto begin() const { return modules_.begin(); }
  auto end() const { return modules_.end(); }
  std::shared_ptr<Module> ptr(size_t index) const { return checked(index).ptr(); }
  template <class T>
  std::shared_ptr<T> ptr(size_t index) const {
    return checked(index).ptr<T>();
  }
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }
  template <class T>
  T& at(size_t index) {
    auto p = ptr<T>(index);
    KILN_CHECK(p != nullptr, "Sequential::at: module ", index, " is not of the requested type");
    return *p;
  }

 private:
  const AnyModule& checked(size_t index) const;
  std::vector<AnyModule> modules_;
};

class Sequential : public ModuleHolder<SequentialImpl> {
 public:
  using ModuleHolder<SequentialImpl>::ModuleHolder;
  Sequential() : ModuleHolder(std::make_shared<SequentialImpl>()) {}
  Sequential(std::initializer_list<NamedAnyModule> named)  // NOLINT: implicit, as torch's
      : ModuleHolder(std::make_shared<SequentialImpl>(named)) {}
};

class ModuleListImpl : public Cloneable<ModuleListImpl> {
 public:
  ModuleListImpl() = default;
  template <class... Modules>
    requires(sizeof...(Modules) > 0)
  explicit ModuleListImpl(Modules&&... modules) {
    (push_back(std::forward<Modules>(modules)), ...);
  }
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;

  void push_back(std::shared_ptr<Module> module);
  template <class M>
  void push_back(const ModuleHolder<M>& holder) {
    push_back(std::static_pointer_cast<Module>(holder.ptr()));
  }
  template <class M>
    requires std::is_base_of_v<Module, M>
  void push_back(std::shared_ptr<M> module) {
    push_back(std::static_pointer_cast<Module>(std::move(module)));
  }
  void extend(const ModuleListImpl& other);
  void insert(size_t index, std::shared_ptr<Module> module);

  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  auto begin() { return modules_.begin(); }
  auto end() { return modules_.end(); }
  auto begin() const { return modules_.begin(); }
  auto end() const { return modules_.end(); }
  std::shared_ptr<Module> ptr(size_t index) const;
  template <class T>
  std::shared_ptr<T> ptr(size_t index) const {
    return std::dynamic_pointer_cast<T>(ptr(index));
  }
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }
  template <class T>
  T& at(size_t index) {
    auto p = ptr<T>(index);
    KILN_CHECK(p != nullptr, "ModuleList::at: module ", index, " is not of the requested type");
    return *p;
  }

 private:
  void renumber();
  std::vector<std::shared_ptr<Module>> modules_;
};
KILN_MODULE(ModuleList);

// A function as a module: Functional(kiln::relu), Functional(f, extra args...).
class FunctionalImpl : public Cloneable<FunctionalImpl> {
 public:
  using Function = Callable<Tensor(Tensor)>;
  explicit FunctionalImpl(Function function);
  template <class F, class Arg, class... Args>
  explicit FunctionalImpl(F f, Arg&& arg, Args&&... args)
      : FunctionalImpl(Function([f, arg, args...](Tensor input) { return f(input, arg, args...); })) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  Tensor operator()(Tensor input) { return forward(std::move(input)); }

 private:
  Function function_;
};
KILN_MODULE(Functional);

}  // namespace kiln::nn
