// A fitted ExactGP to and from a safetensors file: the raw parameters by
// name, the training data and the target normalisation.
#include <string>

#include "common.h"
#include "kiln/io.h"

namespace kiln::gp {

void ExactGP::save(const std::string& path) const {
  TensorOptions f64(kFloat64);
  std::map<std::string, Tensor> tensors{{"X", X_}, {"y", y_}, {"y_normalisation", tensor({y_mean_, y_scale_}, f64)}};
  for (const auto& [name, raw] : named_parameters()) tensors[name] = raw.detach();
  io::save_safetensors(tensors, path, {{"format", "kiln.gp.ExactGP"}});
}

void ExactGP::load(const std::string& path) {
  auto meta = io::load_safetensors_metadata(path);
  KILN_CHECK(meta.count("format") && meta["format"] == "kiln.gp.ExactGP", "gp::ExactGP.load: ", path,
             " is not a saved kiln::gp::ExactGP");
  auto tensors = io::load_safetensors(path);
  NamedTensors params = named_parameters();
  for (const auto& [name, raw] : params) {
    auto it = tensors.find(name);
    KILN_CHECK(it != tensors.end(), "gp::ExactGP.load: ", path, " has no parameter \"", name,
               "\" (was it saved from a model with another kernel?)");
    KILN_CHECK(it->second.sizes() == raw.sizes(), "gp::ExactGP.load: parameter \"", name, "\" has shape ",
               it->second.sizes(), " in ", path, " but ", raw.sizes(), " in this model");
  }
  KILN_CHECK(tensors.size() == params.size() + 3 && tensors.count("X") && tensors.count("y") &&
                 tensors.count("y_normalisation"),
             "gp::ExactGP.load: ", path, " holds ", tensors.size() - 3, " parameters, this model has ", params.size());
  NoGradGuard no_grad;
  for (auto& [name, raw] : params) raw.copy_(tensors[name]);
  X_ = tensors["X"].to(kFloat64);
  y_ = tensors["y"].to(kFloat64);
  y_mean_ = tensors["y_normalisation"][0].item<double>();
  y_scale_ = tensors["y_normalisation"][1].item<double>();
  L_ = Tensor();
}

}  // namespace kiln::gp
