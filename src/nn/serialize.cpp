// Module parameters and buffers to and from safetensors, by dotted name.
#include "kiln/nn/serialize.h"

#include <map>

#include "kiln/autograd.h"
#include "kiln/functions.h"
#include "kiln/io.h"

namespace kiln {
namespace {
// Parameters then buffers, by name (a name is either, never both).
OrderedDict<std::string, Tensor> state_of(const nn::Module& module) {
  OrderedDict<std::string, Tensor> state = module.named_parameters();
  for (const auto& b : module.named_buffers()) state.insert(b.key(), b.value());
  return state;
}
}  // namespace

void save(const nn::Module& module, const std::string& path) {
  std::map<std::string, Tensor> tensors;
  for (const auto& item : state_of(module)) tensors.emplace(item.key(), item.value().detach().contiguous());
  io::save_safetensors(tensors, path, {{"format", "kiln.nn.Module"}, {"module", module.name()}});
}

void load(nn::Module& module, const std::string& path) {
  std::map<std::string, Tensor> tensors = io::load_safetensors(path);
  auto state = state_of(module);
  // Check every entry before changing any, so a failed load leaves the module as it was.
  for (const auto& item : state) {
    auto it = tensors.find(item.key());
    KILN_CHECK(it != tensors.end(), "load: '", item.key(), "' of ", module.name(), " is missing from ", path);
    KILN_CHECK(it->second.sizes() == item.value().sizes(), "load: '", item.key(), "' has shape ", it->second.sizes(),
               " in ", path, " but ", item.value().sizes(), " in ", module.name());
  }
  NoGradGuard no_grad;
  for (auto& item : state) item.value().copy_(tensors.at(item.key()));
}

}  // namespace kiln
