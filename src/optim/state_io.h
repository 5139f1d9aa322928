// Helpers for the optimisers' options and state as named values.
#pragma once
#include <map>
#include <string>

#include "kiln/functions.h"

namespace kiln::optim::detail {

// values[name], or `fallback` when the file did not have it.
inline double value_or(const std::map<std::string, double>& values, const std::string& name, double fallback) {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}
inline Tensor tensor_or(const std::map<std::string, Tensor>& tensors, const std::string& name) {
  auto it = tensors.find(name);
  return it == tensors.end() ? Tensor() : it->second.clone();
}
inline Tensor number(double v) { return scalar_tensor(v, kFloat64); }
inline double number_or(const std::map<std::string, Tensor>& tensors, const std::string& name, double fallback) {
  auto it = tensors.find(name);
  return it == tensors.end() ? fallback : it->second.item<double>();
}

}  // namespace kiln::optim::detail
