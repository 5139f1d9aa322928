// NumPy's .npz: a zip archive whose "<name>.npy" members are arrays.
#pragma once
#include <map>
#include <string>

#include "source.h"
#include "kiln/tensor.h"

namespace kiln::io {

std::map<std::string, Tensor> read_npz(const Source& src);
void write_npz(Sink& out, const std::map<std::string, Tensor>& tensors, const std::string& op);

}  // namespace kiln::io
