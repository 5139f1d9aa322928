// An optimiser's state in a safetensors file.
#include "kiln/io.h"
#include "kiln/optim.h"

namespace kiln {

void save(const optim::Optimizer& optimizer, const std::string& path) {
  io::save_safetensors(optimizer.state_tensors(), path, {{"format", "kiln.optim"}, {"optimizer", optimizer.name()}});
}

void load(optim::Optimizer& optimizer, const std::string& path) {
  auto meta = io::load_safetensors_metadata(path);
  auto it = meta.find("optimizer");
  KILN_CHECK(it != meta.end() && it->second == optimizer.name(), "load: ", path, " holds the state of ",
             it == meta.end() ? std::string("no optimizer") : it->second, ", not of ", optimizer.name());
  optimizer.load_state_tensors(io::load_safetensors(path));
}

}  // namespace kiln
