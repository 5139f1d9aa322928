// Saving a module's parameters and buffers by their dotted names in a
// safetensors file, and loading them back into a module of the same shape.
#pragma once
#include <memory>
#include <string>

#include "kiln/nn/module.h"

namespace kiln {

void save(const nn::Module& module, const std::string& path);
// Every parameter and buffer of `module` must be in the file with its shape
// (else kiln::Error naming the entry); values are copied in place, so
// optimisers holding the parameters keep working. Extra entries are ignored.
void load(nn::Module& module, const std::string& path);

template <class M>
  requires std::is_base_of_v<nn::Module, M>
void save(const std::shared_ptr<M>& module, const std::string& path) {
  KILN_CHECK(module != nullptr, "save: the module is null");
  save(static_cast<const nn::Module&>(*module), path);
}
template <class M>
void save(const nn::ModuleHolder<M>& module, const std::string& path) {
  save(module.ptr(), path);
}
template <class M>
  requires std::is_base_of_v<nn::Module, M>
void load(const std::shared_ptr<M>& module, const std::string& path) {
  KILN_CHECK(module != nullptr, "load: the module is null");
  load(static_cast<nn::Module&>(*module), path);
}
template <class M>
void load(nn::ModuleHolder<M>& module, const std::string& path) {
  load(module.ptr(), path);
}

}  // namespace kiln
